package io.hilal.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One page of a list and the opaque cursor of the next page (null on the last page). */
public record Page<T>(List<T> items, @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {}
