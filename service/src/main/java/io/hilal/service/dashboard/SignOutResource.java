package io.hilal.service.dashboard;

import io.hilal.core.dashboard.DashboardAuth;
import io.hilal.core.tenant.Scope;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;

/** Signing out: the session ends on the server and its cookie is cleared. */
@Path("/dashboard/sign-out")
@SignedIn
public class SignOutResource {
    private final DashboardAuth auth;

    public SignOutResource(DashboardAuth auth) {
        this.auth = auth;
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @DashboardScope(Scope.READ)
    public Response signOut(@Context ContainerRequestContext request) {
        auth.signOut(DashboardFeature.token(request));
        boolean secure = request.getSecurityContext().isSecure();
        return Pages.withHeaders(
                        Response.seeOther(UriBuilder.fromPath("/dashboard/sign-in").build()))
                .cookie(
                        SignInResource.cookie(
                                DashboardFeature.SESSION_COOKIE, "", "/dashboard", 0, secure))
                .build();
    }
}
