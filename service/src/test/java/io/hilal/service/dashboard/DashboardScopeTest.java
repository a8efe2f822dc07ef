package io.hilal.service.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.hilal.core.tenant.Scope;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.container.ResourceInfo;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which scope a dashboard method needs: its own, else read for a page and admin for a POST. */
class DashboardScopeTest {
    static final class Example {
        @GET
        public void page() {}

        @POST
        public void undeclaredForm() {}

        @POST
        @DashboardScope(Scope.CAMPAIGNS)
        public void campaignForm() {}

        @GET
        @DashboardScope(Scope.ADMIN)
        public void adminPage() {}
    }

    @DashboardScope(Scope.CAMPAIGNS)
    static final class Declared {
        @POST
        public void form() {}
    }

    private static ResourceInfo info(Class<?> type, String method) {
        Method found =
                Arrays.stream(type.getMethods())
                        .filter(m -> m.getName().equals(method))
                        .findFirst()
                        .orElseThrow();
        return new ResourceInfo() {
            @Override
            public Method getResourceMethod() {
                return found;
            }

            @Override
            public Class<?> getResourceClass() {
                return type;
            }
        };
    }

    @ParameterizedTest(name = "{0} needs {1}")
    @CsvSource({
        "page, READ",
        "undeclaredForm, ADMIN",
        "campaignForm, CAMPAIGNS",
        "adminPage, ADMIN",
    })
    void aMethodNeedsItsDeclaredScopeElseReadForAPageAndAdminForAPost(String method, Scope scope) {
        assertThat(DashboardFeature.requiredScope(info(Example.class, method))).isEqualTo(scope);
    }

    @ParameterizedTest
    @CsvSource({"form"})
    void aClassCanDeclareTheScopeOfAllItsMethods(String method) {
        assertThat(DashboardFeature.requiredScope(info(Declared.class, method)))
                .isEqualTo(Scope.CAMPAIGNS);
    }

    @ParameterizedTest(name = "{0}.{1} needs {2}")
    @CsvSource({
        "CampaignPagesResource, launch, CAMPAIGNS",
        "CampaignPagesResource, pause, CAMPAIGNS",
        "SignOutResource, signOut, READ"
    })
    void theDashboardsFormsNeed(String resource, String method, Scope scope) throws Exception {
        Class<?> type = Class.forName(getClass().getPackageName() + "." + resource);
        assertThat(DashboardFeature.requiredScope(info(type, method))).isEqualTo(scope);
    }
}
