package io.hilal.service.dashboard;

import io.hilal.core.tenant.Scope;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The scope a dashboard session needs for a {@link SignedIn} method (the dashboard's counterpart of
 * the API's {@code RequiresScope}, which asks for an API key instead). Without it a page needs
 * {@code read} and a POST {@code admin}: see {@link DashboardFeature}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface DashboardScope {
    Scope value();
}
