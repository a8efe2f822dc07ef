package io.hilal.core.pods;

/**
 * How loaded a pod is, as placement measures it: the tenants it holds and the events they recorded
 * in the last 24 hours (by the time the events say they happened).
 */
public record PodLoad(String podId, Pod.Status status, long tenants, long recentEvents) {}
