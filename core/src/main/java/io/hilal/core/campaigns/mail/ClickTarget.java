package io.hilal.core.campaigns.mail;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a click link may redirect: an absolute http or https URL with a host, nothing else (no
 * {@code javascript:}, {@code data:}, relative or scheme-less URL), so a link can never run script
 * or leave the web.
 */
public final class ClickTarget {
    private ClickTarget() {}

    /** {@code url} as a redirect target, or empty when it may not be one or does not parse. */
    public static Optional<URI> of(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
