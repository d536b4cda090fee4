package io.channelstream.api.orders;

import io.channelstream.api.security.Caller;
import io.channelstream.api.web.FieldProblem;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * A rule an order must pass before it is accepted (cross-region interception, price floors...).
 * Each capability contributes its checks as beans; the order endpoint runs them all and refuses the
 * order with every problem found, naming the field and the reason. A check may also raise an alert
 * (the refusal itself is a fact a regional manager wants to know about).
 */
public interface OrderCheck {

    /** The problems this rule finds with the order; empty when it may proceed. */
    Mono<List<FieldProblem>> check(Caller caller, OrderRequest order);
}
