package io.hilal.service.security;

import io.dropwizard.core.setup.Environment;
import io.hilal.core.tenant.Scope;
import io.hilal.service.dashboard.SignedIn;
import io.hilal.service.platform.auth.OperatorOnly;
import io.hilal.service.platform.auth.RequiresScope;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.jersey.server.ExtendedResourceContext;
import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.glassfish.jersey.servlet.ServletContainer;

/**
 * The routes a running service really serves, read from the resource model of its Jersey
 * application (after Jersey has merged resources that share a path), not from a list kept by hand:
 * a route added tomorrow is in this list tomorrow. Jersey's own additions (OPTIONS answers, WADL)
 * are left out; they are not ours and carry no tenant data.
 */
final class ServedRoutes {
    private static final Pattern PARAMETER = Pattern.compile("\\{\\s*(\\w[\\w.-]*)\\s*(:[^}]*)?}");

    private ServedRoutes() {}

    /** One HTTP method on one path template, and the Java method that answers it. */
    record Route(String method, String template, Class<?> resource, Method handler) {
        /** The path parameters' names, in order. */
        List<String> parameters() {
            List<String> names = new ArrayList<>();
            Matcher matcher = PARAMETER.matcher(template);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
            return names;
        }

        /** The regular expression of a path parameter, if it has one ({@code {kind: a|b}}). */
        Optional<String> regex(String parameter) {
            Matcher matcher = PARAMETER.matcher(template);
            while (matcher.find()) {
                if (matcher.group(1).equals(parameter) && matcher.group(2) != null) {
                    return Optional.of(matcher.group(2).substring(1).strip());
                }
            }
            return Optional.empty();
        }

        /** The template with each parameter replaced by the value the function gives for it. */
        String fill(java.util.function.Function<String, String> value) {
            Matcher matcher = PARAMETER.matcher(template);
            StringBuilder path = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(
                        path, Matcher.quoteReplacement(value.apply(matcher.group(1))));
            }
            matcher.appendTail(path);
            return path.toString();
        }

        /** The API-key scope the route needs, when it is a tenant API route. */
        Optional<Scope> requiredScope() {
            RequiresScope scope = annotation(RequiresScope.class);
            return Optional.ofNullable(scope).map(RequiresScope::value);
        }

        boolean signedIn() {
            return annotation(SignedIn.class) != null;
        }

        /** The scope a dashboard session needs for a {@link #signedIn} route. */
        Scope dashboardScope() {
            return io.hilal.service.dashboard.DashboardFeature.requiredScope(resource, handler);
        }

        boolean operatorOnly() {
            return annotation(OperatorOnly.class) != null;
        }

        private <A extends Annotation> A annotation(Class<A> type) {
            A onMethod = handler.getAnnotation(type);
            return onMethod != null ? onMethod : resource.getAnnotation(type);
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /** Every route of the running application, in a stable order. */
    static List<Route> of(Environment environment) {
        ServletContainer container = (ServletContainer) environment.getJerseyServletContainer();
        List<Resource> roots =
                container
                        .getApplicationHandler()
                        .getInjectionManager()
                        .getInstance(ExtendedResourceContext.class)
                        .getResourceModel()
                        .getRootResources();
        List<Route> routes = new ArrayList<>();
        for (Resource root : roots) {
            collect(root, "", routes);
        }
        routes.sort(java.util.Comparator.comparing(Route::template).thenComparing(Route::method));
        return routes;
    }

    private static void collect(Resource resource, String parentPath, List<Route> routes) {
        String path = join(parentPath, resource.getPath());
        if (resource.isExtended()) {
            return;
        }
        for (ResourceMethod method : resource.getResourceMethods()) {
            Method handler = method.getInvocable().getDefinitionMethod();
            Class<?> type = method.getInvocable().getHandler().getHandlerClass();
            if (!type.getName().startsWith("io.hilal.")) {
                continue;
            }
            routes.add(new Route(method.getHttpMethod(), path, type, handler));
        }
        if (resource.getResourceLocator() != null) {
            throw new AssertionError(
                    "sub-resource locator at " + path + ": teach ServedRoutes to follow it");
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, routes);
        }
    }

    private static String join(String parent, String child) {
        if (child == null || child.isEmpty()) {
            return parent.isEmpty() ? "/" : parent;
        }
        String left = parent.endsWith("/") ? parent.substring(0, parent.length() - 1) : parent;
        String right = child.startsWith("/") ? child : "/" + child;
        String joined = left + right;
        return joined.length() > 1 && joined.endsWith("/")
                ? joined.substring(0, joined.length() - 1)
                : joined;
    }
}
