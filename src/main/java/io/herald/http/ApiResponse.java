package io.herald.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** orchestrator's response envelope: {@code {"Code":"OK"|"ERROR","Message":..,"Details":..}}. */
@JsonInclude(JsonInclude.Include.ALWAYS)
record ApiResponse(
    @JsonProperty("Code") String code, @JsonProperty("Message") String message, @JsonProperty("Details") Object details) {

  static ApiResponse ok(String message, Object details) {
    return new ApiResponse("OK", message, details);
  }

  static ApiResponse error(String message) {
    return new ApiResponse("ERROR", message, null);
  }
}
