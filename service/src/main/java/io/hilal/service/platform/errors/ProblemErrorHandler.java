package io.hilal.service.platform.errors;

import io.hilal.core.error.HilalException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own errors (a malformed request line, headers too large, an ambiguous URI, a path outside
 * the API) never reach Jersey; this handler gives them the same problem body instead of an HTML
 * page. It is installed on the application context and on the Server, which answers the requests
 * Jetty rejects before routing them to a context.
 */
public final class ProblemErrorHandler extends ErrorHandler {
    private final ProblemWriter writer;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    public ProblemErrorHandler(
            ProblemWriter writer, com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.writer = writer;
        this.mapper = mapper;
    }

    /**
     * Jetty writes an error body only for GET, POST and HEAD; a PUT, DELETE, TRACE or unknown
     * method rejected before Jersey (Dropwizard's allowed-methods filter, for one) would get an
     * empty answer. Every error gets its problem body.
     */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(
            Request request,
            Response response,
            int code,
            String message,
            Throwable cause,
            Callback callback) {
        int status = code <= 0 ? 500 : code;
        // Jetty's own rejections (BadMessageException) carry their status; classifying them would
        // turn a 400 into a 500.
        HilalException error =
                cause != null && !(cause instanceof HttpException)
                        ? Problems.classify(cause)
                        : new Problems.HttpError(
                                status,
                                status == 404 ? "not_found" : "http_" + status,
                                org.eclipse.jetty.http.HttpStatus.getMessage(status),
                                message == null
                                        ? org.eclipse.jetty.http.HttpStatus.getMessage(status)
                                        : message);
        // Rejected before the request-id filter ran: the id is given here, as that filter would.
        String requestId =
                io.hilal.core.admin.AdminRequestIds.idFor(
                        request.getHeaders().get(RequestIds.HEADER));
        try {
            byte[] body =
                    mapper.writeValueAsBytes(
                            writer.problem(error, request.getHttpURI().getPath(), requestId));
            response.setStatus(error.status());
            response.getHeaders().put(RequestIds.HEADER, requestId);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problem.MEDIA_TYPE);
            response.write(true, ByteBuffer.wrap(body), callback);
        } catch (java.io.IOException e) {
            response.write(
                    true,
                    ByteBuffer.wrap("{\"status\":500}".getBytes(StandardCharsets.UTF_8)),
                    callback);
        }
    }
}
