package io.hilal.service.campaigns;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import io.hilal.core.campaigns.EngagementService;
import io.hilal.core.campaigns.mail.MailLinks;
import io.hilal.core.pods.DbScope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * The links in campaign emails. They carry a signed token and need no API key: {@code
 * /v1/unsubscribe/{token}} (GET shows a confirmation page, POST unsubscribes — the RFC 8058
 * one-click POST, and the page's button), {@code /v1/c/{token}} (records a click, redirects) and
 * {@code /v1/nfm/{token}} ("Not for me": GET shows a confirmation page, POST records a
 * thumbs-down). A GET never unsubscribes nor turns a product down, because mail scanners follow
 * links; a click a scanner makes is redirected but not counted (see {@code LinkScanners}).
 */
@Path("/v1")
public class MailLinkResource {
    private static final Mustache PAGE =
            new DefaultMustacheFactory()
                    .compile(
                            new StringReader(
                                    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                                            + "<meta name=\"viewport\" content=\"width=device-width\">"
                                            + "<title>{{title}}</title><style>body{font:16px/1.5"
                                            + " system-ui,sans-serif;max-width:36rem;margin:3rem auto;"
                                            + "padding:0 1rem;color:#1d2330}button{font:inherit;"
                                            + "padding:.4rem 1rem}</style></head><body><h1>{{title}}</h1>"
                                            + "<p>{{message}}</p>{{#action}}<form method=\"post\""
                                            + " action=\"{{action}}\"><button type=\"submit\">"
                                            + "{{button}}</button></form>{{/action}}</body></html>"),
                            "mail-link-page");

    private final EngagementService engagement;

    public MailLinkResource(EngagementService engagement) {
        this.engagement = engagement;
    }

    @GET
    @Path("/unsubscribe/{token}")
    @Produces(MediaType.TEXT_HTML)
    public String confirmUnsubscribe(@PathParam("token") String token) {
        scope(MailLinks.Kind.UNSUBSCRIBE, token);
        MailLinks.Link link = engagement.verify(MailLinks.Kind.UNSUBSCRIBE, token);
        String who = engagement.maskedEmail(link).orElse("this address");
        return page(
                "Unsubscribe",
                "Stop campaign emails to " + who + "?",
                "/v1/unsubscribe/" + token,
                "Unsubscribe");
    }

    @POST
    @Path("/unsubscribe/{token}")
    @Produces(MediaType.TEXT_HTML)
    public String unsubscribe(@PathParam("token") String token) {
        scope(MailLinks.Kind.UNSUBSCRIBE, token);
        if (engagement.unsubscribe(token).recipient().testSend()) {
            return testSendPage();
        }
        return page(
                "You are unsubscribed",
                "You will not get these emails any more. It takes effect at once.",
                null,
                null);
    }

    @GET
    @Path("/c/{token}")
    public Response click(
            @PathParam("token") String token, @HeaderParam(HttpHeaders.USER_AGENT) String agent) {
        scope(MailLinks.Kind.CLICK, token);
        return redirect(engagement.click(token, HttpMethod.GET, agent));
    }

    /** Scanners check a link with a HEAD: it gets the redirect, and nothing is counted. */
    @HEAD
    @Path("/c/{token}")
    public Response checkClick(
            @PathParam("token") String token, @HeaderParam(HttpHeaders.USER_AGENT) String agent) {
        scope(MailLinks.Kind.CLICK, token);
        return redirect(engagement.click(token, HttpMethod.HEAD, agent));
    }

    /**
     * A link's queries go to the pod of the tenant its signature names (the request's end clears
     * the scope); a forged link gets none and is refused before any query.
     */
    private void scope(MailLinks.Kind kind, String token) {
        engagement.signedTenant(kind, token).ifPresent(DbScope::enterTenant);
    }

    private static Response redirect(URI target) {
        return Response.status(Response.Status.FOUND).location(target).build();
    }

    @GET
    @Path("/nfm/{token}")
    @Produces(MediaType.TEXT_HTML)
    public String confirmNotForMe(@PathParam("token") String token) {
        scope(MailLinks.Kind.NOT_FOR_ME, token);
        engagement.verify(MailLinks.Kind.NOT_FOR_ME, token);
        return page(
                "Not for me",
                "Stop recommending this product to you?",
                "/v1/nfm/" + token,
                "Not for me");
    }

    @POST
    @Path("/nfm/{token}")
    @Produces(MediaType.TEXT_HTML)
    public String notForMe(@PathParam("token") String token) {
        scope(MailLinks.Kind.NOT_FOR_ME, token);
        if (engagement.notForMe(token).recipient().testSend()) {
            return testSendPage();
        }
        return page(
                "Thanks for telling us",
                "We will not recommend this product to you again.",
                null,
                null);
    }

    private static String testSendPage() {
        return page(
                "This was a test email",
                "Nothing changed: the links of a test email act on no one.",
                null,
                null);
    }

    private static String page(String title, String message, String action, String button) {
        Map<String, Object> scope = new HashMap<>();
        scope.put("title", title);
        scope.put("message", message);
        if (action != null) {
            scope.put("action", action);
            scope.put("button", button);
        }
        StringWriter out = new StringWriter();
        PAGE.execute(out, scope);
        return out.toString();
    }
}
