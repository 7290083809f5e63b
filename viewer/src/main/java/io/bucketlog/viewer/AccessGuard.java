package io.bucketlog.viewer;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;

/**
 * Runs before every request: only GET and HEAD (the viewer is read-only), the access token when
 * one is set, and without a token a loopback {@code Host} header (so that a web page elsewhere
 * cannot reach a loopback viewer through DNS rebinding). Adds headers that keep the page from
 * running anything but its own scripts, even if a value ever reached it unescaped.
 *
 * <p>The token is taken from an {@code Authorization: Bearer} header (curl), a {@code token}
 * parameter (the link printed at start-up), or the cookie set when that parameter was right.
 */
final class AccessGuard {
    static final String COOKIE = "bucketlog_token";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    private final byte[] token;
    private final JsonResponses json;

    AccessGuard(String token, JsonResponses json) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    void check(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Cache-Control", "no-store");
        if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
            deny(ctx, 405, "the viewer is read-only: only GET and HEAD");
            return;
        }
        if (token == null) {
            if (!loopbackHost(ctx.header("Host"))) {
                deny(ctx, 403, "this viewer answers only requests addressed to localhost");
            }
            return;
        }
        String auth = ctx.header("Authorization");
        if (auth != null && auth.startsWith("Bearer ") && matches(auth.substring(7))) {
            return;
        }
        String param = ctx.queryParam("token");
        if (param != null && matches(param)) {
            ctx.res().addHeader("Set-Cookie", COOKIE + "=" + param
                    + "; Path=/; HttpOnly; SameSite=Strict");
            return;
        }
        String cookie = ctx.cookie(COOKIE);
        if (cookie != null && matches(cookie)) {
            return;
        }
        deny(ctx, 401, "this viewer needs its access token (Authorization: Bearer, or ?token=)");
    }

    private boolean matches(String candidate) {
        return MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }

    private void deny(Context ctx, int status, String message) {
        json.error(ctx, status, message);
        ctx.skipRemainingHandlers();
    }

    static boolean loopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            return h.startsWith("[::1]");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    }
}
