package io.hilal.service.platform.errors;

import io.hilal.core.error.PayloadTooLargeException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Refuses request bodies over the limit before reading them when they declare their length, and
 * stops reading at the limit when they do not (chunked uploads), so a huge body costs us nothing.
 */
public final class BodyLimit implements Filter {
    private final int maxBytes;
    private final ProblemWriter problems;

    public BodyLimit(int maxBytes, ProblemWriter problems) {
        this.maxBytes = maxBytes;
        this.problems = problems;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        long declared = http.getContentLengthLong();
        if (declared > maxBytes) {
            problems.write(
                    http,
                    (HttpServletResponse) response,
                    new PayloadTooLargeException(tooLarge(declared)));
            return;
        }
        Limited limited = new Limited(http);
        chain.doFilter(limited, response);
        drain(limited);
    }

    /**
     * Reads whatever body the handler left unread (an error answered before the body was needed, an
     * endpoint that takes none). Jetty would otherwise close the connection once the answer is
     * complete, and a client that already sent its next request on it, as keep-alive invites, would
     * see the connection drop. Bounded: the limit above applies.
     */
    private static void drain(Limited request) {
        if (request.getContentLengthLong() == 0 || request.isAsyncStarted()) {
            return;
        }
        try {
            ServletInputStream in = request.getInputStream();
            byte[] buffer = new byte[8192];
            while (!in.isFinished() && in.read(buffer) >= 0) {
                // discarded
            }
        } catch (IOException | RuntimeException unreadable) {
            // Over the limit, or already failed: Jetty closes the connection, as before.
        }
    }

    private String tooLarge(long bytes) {
        return "The body is " + bytes + " bytes; the limit is " + maxBytes;
    }

    private final class Limited extends HttpServletRequestWrapper {
        private ServletInputStream stream;

        Limited(HttpServletRequest request) {
            super(request);
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (stream == null) {
                stream = new Counting(super.getInputStream());
            }
            return stream;
        }
    }

    private final class Counting extends ServletInputStream {
        private final ServletInputStream in;
        private long read;

        Counting(ServletInputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            read += n;
            if (read > maxBytes) {
                throw new PayloadTooLargeException(
                        "The body is over the limit of " + maxBytes + " bytes");
            }
        }

        @Override
        public boolean isFinished() {
            return in.isFinished();
        }

        @Override
        public boolean isReady() {
            return in.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
        }
    }
}
