package io.bucketlog.viewer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.io.UncheckedIOException;
import java.util.Map;

/** Writes API answers: one JSON mapper for every endpoint, never cached by the browser. */
final class JsonResponses {
    private final ObjectMapper mapper = new ObjectMapper();

    String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(Context ctx, int status, Object value) {
        ctx.status(status).contentType("application/json; charset=utf-8").result(write(value));
    }

    void error(Context ctx, int status, String message) {
        send(ctx, status, Map.of("error", message));
    }
}
