package io.hilal.core.error;

/** One invalid field of a request: a JSON-pointer-like path and what is wrong with it. */
public record FieldError(String field, String message) {}
