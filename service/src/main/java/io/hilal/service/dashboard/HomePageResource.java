package io.hilal.service.dashboard;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** The root URL: the dashboard, which asks for a sign-in when there is no session. */
@Path("/")
public class HomePageResource {
    @GET
    public Response home() {
        return Response.seeOther(URI.create("/dashboard")).build();
    }
}
