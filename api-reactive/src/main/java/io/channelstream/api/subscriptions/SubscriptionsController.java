package io.channelstream.api.subscriptions;

import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.FieldProblem;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.api.web.NotFoundException;
import io.channelstream.regions.RegionTree;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** A partner system's own subscriptions: create, read, change, delete; its dead letters; replay; its stream. */
@RestController
@RequestMapping("/api/subscriptions")
public class SubscriptionsController {

    private static final Set<String> STATES = Set.of("PENDING", "DELIVERED", "DEAD");

    private final SubscriptionStore store;
    private final DeliveryOutbox outbox;
    private final WebhookTargetGuard guard;
    private final AccessPolicy access;
    private final RegionTree regions;
    private final WebhookSettings settings;
    private final ObjectMapper json;

    public SubscriptionsController(SubscriptionStore store, DeliveryOutbox outbox, WebhookTargetGuard guard,
                                   AccessPolicy access, RegionTree regions, WebhookSettings settings,
                                   ObjectMapper json) {
        this.store = store;
        this.outbox = outbox;
        this.guard = guard;
        this.access = access;
        this.regions = regions;
        this.settings = settings;
        this.json = json;
    }

    @PostMapping
    public Mono<ResponseEntity<Subscription>> create(@AuthenticationPrincipal Jwt jwt,
                                                     @Valid @RequestBody SubscriptionRequest request) {
        Caller caller = partner(jwt);
        return definition(caller, request)
                .flatMap(definition -> store.create("SUB-" + UUID.randomUUID(), caller.partnerId(), definition,
                        caller.subject()))
                .map(created -> ResponseEntity.created(URI.create("/api/subscriptions/" + created.subscriptionId()))
                        .body(created));
    }

    @GetMapping
    public Flux<Subscription> list(@AuthenticationPrincipal Jwt jwt) {
        return store.ofPartner(partner(jwt).partnerId());
    }

    @GetMapping("/{id}")
    public Mono<Subscription> get(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        return owned(partner(jwt), id);
    }

    @PutMapping("/{id}")
    public Mono<Subscription> replace(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                      @Valid @RequestBody SubscriptionRequest request) {
        Caller caller = partner(jwt);
        return owned(caller, id).then(definition(caller, request)).flatMap(definition -> store.replace(id, definition));
    }

    /** @param active false pauses delivery (events keep being queued), true resumes it */
    public record Activation(@NotNull Boolean active) {}

    @PostMapping("/{id}/activation")
    public Mono<Subscription> activate(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                       @Valid @RequestBody Activation activation) {
        Caller caller = partner(jwt);
        return owned(caller, id).then(store.setActive(id, activation.active()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> delete(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
        Caller caller = partner(jwt);
        return owned(caller, id).then(store.delete(id)).then();
    }

    /** Events that failed every attempt, oldest first: what the partner missed, and why. */
    @GetMapping("/{id}/dead-letters")
    public Flux<DeliveryView> deadLetters(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                          @RequestParam(defaultValue = "100") int limit) {
        return deliveries(jwt, id, "DEAD", limit);
    }

    @GetMapping("/{id}/deliveries")
    public Flux<DeliveryView> deliveries(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                         @RequestParam(defaultValue = "PENDING") String state,
                                         @RequestParam(defaultValue = "100") int limit) {
        Caller caller = partner(jwt);
        String wanted = state.toUpperCase(Locale.ROOT);
        if (!STATES.contains(wanted)) {
            return Flux.error(BadRequestException.invalid("state", "one of " + STATES + ", was '" + state + "'"));
        }
        if (limit < 1 || limit > 1000) {
            return Flux.error(BadRequestException.invalid("limit", "must be between 1 and 1000, was " + limit));
        }
        return owned(caller, id).thenMany(outbox.deliveries(id, wanted, limit));
    }

    /**
     * @param from             queue again every event that occurred at or after this instant
     * @param deadLettersOnly  only the dead letters among them
     */
    public record Replay(@NotNull Instant from, boolean deadLettersOnly) {}

    public record Replayed(long requeued) {}

    /** Queues again, in their original order, the events since a time (within the retention). */
    @PostMapping("/{id}/replay")
    public Mono<Replayed> replay(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                 @Valid @RequestBody Replay replay) {
        Caller caller = partner(jwt);
        return owned(caller, id)
                .flatMap(subscription -> "WEBHOOK".equals(subscription.delivery()) ? Mono.just(subscription)
                        : Mono.error(BadRequestException.unprocessable("delivery",
                                "an SSE subscription replays by reconnecting with Last-Event-ID")))
                .then(outbox.replay(id, replay.from(), replay.deadLettersOnly()))
                .map(Replayed::new);
    }

    /**
     * An SSE subscription's events, each with its number in the subscription as id; with
     * {@code Last-Event-ID} it resumes after that number, in order, without duplicates.
     */
    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public Flux<ServerSentEvent<JsonNode>> events(@AuthenticationPrincipal Jwt jwt, @PathVariable String id,
                                                  @RequestHeader(name = "Last-Event-ID", required = false) String last) {
        Caller caller = partner(jwt);
        long after;
        try {
            after = last == null || last.isBlank() ? 0 : Long.parseLong(last.strip());
        } catch (NumberFormatException e) {
            return Flux.error(BadRequestException.invalid("Last-Event-ID", "must be a number, was '" + last + "'"));
        }
        return owned(caller, id)
                .flatMap(subscription -> "SSE".equals(subscription.delivery()) ? Mono.just(subscription)
                        : Mono.error(BadRequestException.unprocessable("delivery",
                                "this subscription delivers by webhook")))
                .thenMany(streamFrom(id, after));
    }

    private Flux<ServerSentEvent<JsonNode>> streamFrom(String id, long after) {
        long[] position = {after};
        // the subscription's numbers become visible in order (see partner_subscription.last_seq), so polling
        // "after the last one sent" never skips one
        return Flux.interval(Duration.ZERO, Duration.ofMillis(settings.streamPollMillis()))
                .onBackpressureDrop()
                .concatMap(tick -> outbox.streamAfter(id, position[0], 500), 1)
                .concatMap(Flux::fromIterable)
                .doOnNext(event -> position[0] = event.seq())
                .map(event -> ServerSentEvent.<JsonNode>builder()
                        .id(Long.toString(event.seq()))
                        .event("event")
                        .data(json.readTree(event.payload()))
                        .build());
    }

    private Caller partner(Jwt jwt) {
        Caller caller = Caller.from(jwt);
        if (!access.canManageSubscriptions(caller)) {
            throw new ForbiddenException("subscriptions belong to partner systems; a " + caller.role()
                    + " token cannot manage them");
        }
        return caller;
    }

    private Mono<Subscription> owned(Caller caller, String id) {
        return store.find(id)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("unknown subscription '" + id + "'")))
                .flatMap(subscription -> subscription.partnerId().equals(caller.partnerId())
                        ? Mono.just(subscription)
                        : Mono.error(new ForbiddenException("subscription " + id + " belongs to another partner")));
    }

    /** Validates the request against the token's scope and the SSRF guard. */
    private Mono<SubscriptionStore.Definition> definition(Caller caller, SubscriptionRequest request) {
        List<String> regionCodes = request.regionCodesOrEmpty();
        List<String> dealerIds = request.dealerIdsOrEmpty();
        if (regionCodes.isEmpty() && dealerIds.isEmpty()) {
            regionCodes = caller.regionCodes();
            dealerIds = caller.dealerIds();
            if (regionCodes.isEmpty() && dealerIds.isEmpty()) {
                return Mono.error(BadRequestException.unprocessable("regionCodes",
                        "name regions or dealers; your token grants none to default to"));
            }
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (String region : regionCodes) {
            if (!regions.exists(region)) {
                problems.add(new FieldProblem("regionCodes", "'" + region + "' is not a GB/T 2260 code"));
            }
        }
        if (!problems.isEmpty()) {
            return Mono.error(new BadRequestException(422, problems));
        }
        for (String region : regionCodes) {
            if (!access.canSeeRegion(caller, region)) {
                return Mono.error(new ForbiddenException("region " + region + " lies outside your token's regions"));
            }
        }
        for (String dealer : dealerIds) {
            if (!access.canSeeDealer(caller, dealer)) {
                return Mono.error(new ForbiddenException("dealer " + dealer + " is not one of your token's dealers"));
            }
        }
        int maxAttempts = request.maxAttempts() == null ? settings.maxAttempts() : request.maxAttempts();
        if (maxAttempts > settings.maxAttempts()) {
            return Mono.error(BadRequestException.invalid("maxAttempts", "at most " + settings.maxAttempts()));
        }
        List<String> types = request.eventTypes().stream().map(Enum::name).distinct().toList();
        List<String> regionList = List.copyOf(regionCodes);
        List<String> dealerList = List.copyOf(dealerIds);
        if (request.delivery() == SubscriptionRequest.Delivery.SSE) {
            return Mono.just(new SubscriptionStore.Definition(types, regionList, dealerList, "SSE", null, null,
                    maxAttempts));
        }
        if (request.webhookUrl() == null || request.secret() == null) {
            List<FieldProblem> missing = new ArrayList<>();
            if (request.webhookUrl() == null) {
                missing.add(new FieldProblem("webhookUrl", "required for WEBHOOK delivery"));
            }
            if (request.secret() == null) {
                missing.add(new FieldProblem("secret", "required for WEBHOOK delivery (at least 16 characters)"));
            }
            return Mono.error(new BadRequestException(400, missing));
        }
        return guard.check(request.webhookUrl())
                .onErrorMap(WebhookTargetGuard.TargetRefusedException.class,
                        refused -> BadRequestException.unprocessable("webhookUrl", refused.getMessage()))
                .thenReturn(new SubscriptionStore.Definition(types, regionList, dealerList, "WEBHOOK",
                        request.webhookUrl(), request.secret(), maxAttempts));
    }
}
