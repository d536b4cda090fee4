package io.channelstream.api.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;

/**
 * The bearer tokens this instance has verified, shared by the security chain (as its decoder) and the lean
 * read paths, which serve a request without the chain only when its token is one the chain's decoder already
 * accepted and that is still in force. Everything else (no token, a malformed or unknown one, an expired one)
 * goes through the chain, so every 401 is the chain's own.
 */
@Component
public class BearerCallers {

    private static final String BEARER = "Bearer ";

    private final VerifiedTokens tokens;

    public BearerCallers(ReactiveJwtDecoder decoder) {
        this.tokens = new VerifiedTokens(decoder);
    }

    /** The decoder for the security chain: verifies, and remembers what it verified. */
    public ReactiveJwtDecoder decoder() {
        return tokens;
    }

    /**
     * The verified token of the request's {@code Authorization: Bearer} header if the decoder accepted exactly
     * this token before and it is in force now; null otherwise. A header the chain's bearer-token converter
     * would read differently (another scheme, characters outside RFC 6750's b64token) gives null as well.
     */
    public Jwt remembered(ServerHttpRequest request) {
        String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        String token = authorization.substring(BEARER.length());
        return isB64Token(token) ? tokens.remembered(token) : null;
    }

    /** RFC 6750 b64token: {@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="}. */
    private static boolean isB64Token(String token) {
        int i = 0;
        int n = token.length();
        for (; i < n; i++) {
            char c = token.charAt(i);
            boolean tokenChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
            if (!tokenChar) {
                break;
            }
        }
        if (i == 0) {
            return false;
        }
        for (; i < n; i++) {
            if (token.charAt(i) != '=') {
                return false;
            }
        }
        return true;
    }
}
