package io.netsplit.kit;

import java.util.Optional;

/**
 * Decides, for every request and before it is routed, whether it may go on: this is where authentication goes.
 * <p>
 * Today only the site-writer checks anything (a bearer token on {@code /entities/...}, when
 * {@code writer.auth.token} is set); every other service allows all requests, on loopback or behind its network.
 * A service that needs authentication sets its own here (tokens, mTLS identities from the exchange, ...) rather
 * than checking inside handlers, so one place per service says who may call what.
 */
@FunctionalInterface
public interface Authenticator {

    /** The default: every request goes on. */
    Authenticator ALLOW_ALL = request -> Optional.empty();

    /**
     * Empty to let the request go on to its route; otherwise the refusal the server answers with instead (usually a
     * 401 with {@code WWW-Authenticate}, or a 403). The request's body has not been read; reading it here counts
     * against the same limit as in a handler.
     */
    Optional<HttpError> refusal(Request request) throws Exception;
}
