package io.channelstream.api.transfers;

import io.channelstream.api.inventory.InventoryQueryService;
import io.channelstream.api.inventory.StockCommandChecks;
import io.channelstream.api.inventory.StockLevelView;
import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.masterdata.Location;
import io.channelstream.api.masterdata.LocationDirectory;
import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.security.Role;
import io.channelstream.api.streams.KeyOwnerRouter;
import io.channelstream.api.streams.TopologyRunner;
import io.channelstream.api.transfers.TransferRequests.Line;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.FieldProblem;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.api.web.NotFoundException;
import io.channelstream.api.web.UnavailableException;
import io.channelstream.diversion.TraceCode;
import io.channelstream.events.TransferApproved;
import io.channelstream.events.TransferDispatched;
import io.channelstream.events.TransferEvent;
import io.channelstream.events.TransferLine;
import io.channelstream.events.TransferReceived;
import io.channelstream.events.TransferRejected;
import io.channelstream.events.TransferRequested;
import io.channelstream.events.TransferState;
import io.channelstream.inventory.InventoryRules;
import io.channelstream.inventory.LocalRead;
import io.channelstream.inventory.NetworkReads;
import io.channelstream.inventory.TransferReads;
import io.channelstream.schemas.Topics;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The transfer workflow at the API's door: who may take each step, whether the transfer's current state
 * allows it, and (for a dispatch) whether the source has the stock, before the step is published to
 * {@code transfers}. The inventory topology judges each step again in the source's task and moves the stock;
 * these checks give the caller a clear answer at once, the topology's give the guarantee.
 *
 * <p>Who: a request by HQ or the dealer operating either end; approval and rejection by HQ only; dispatch by
 * the source's operator, receipt by the destination's (the operating dealer, or a partner system covering
 * the location; HQ for the brand's own warehouses, which no dealer operates).
 */
@Service
public class TransferService {

    private final TransferDirectory directory;
    private final LocationDirectory locations;
    private final AccessPolicy access;
    private final EventPublisher publisher;
    private final StockCommandChecks checks;
    private final InventoryQueryService stock;
    private final KeyOwnerRouter router;
    private final TopologyRunner runner;

    public TransferService(TransferDirectory directory, LocationDirectory locations, AccessPolicy access,
                           EventPublisher publisher, StockCommandChecks checks, InventoryQueryService stock,
                           KeyOwnerRouter router, TopologyRunner runner) {
        this.directory = directory;
        this.locations = locations;
        this.access = access;
        this.publisher = publisher;
        this.checks = checks;
        this.stock = stock;
        this.router = router;
        this.runner = runner;
    }

    /**
     * What was accepted: the step's event on {@code transfers}; the state follows within moments at
     * {@code transfer}.
     *
     * @param lines for a dispatch, what leaves (batches filled in)
     */
    public record Accepted(String transferId, String step, String eventId, String logisticsOrderId,
                           List<Line> lines, String transfer) {}

    /** The two ends of a transfer, as master data has them. */
    private record Ends(TransferDirectory.Entry entry, Location from, Location to) {}

    // ------------------------------------------------------------------ commands

    public Mono<Accepted> request(Caller caller, TransferRequests.Request request) {
        List<FieldProblem> problems = request.domainProblems();
        if (!problems.isEmpty()) {
            return Mono.error(new BadRequestException(400, problems));
        }
        String transferId = request.transferId() != null ? request.transferId()
                : "TR-" + UUID.randomUUID().toString().substring(0, 13);
        return Mono.zip(location(request.fromLocationId()), location(request.toLocationId()))
                .flatMap(ends -> {
                    List<FieldProblem> unknown = new ArrayList<>();
                    if (ends.getT1().isEmpty()) {
                        unknown.add(new FieldProblem("fromLocationId", "unknown location '" + request.fromLocationId() + "'"));
                    }
                    if (ends.getT2().isEmpty()) {
                        unknown.add(new FieldProblem("toLocationId", "unknown location '" + request.toLocationId() + "'"));
                    }
                    if (!unknown.isEmpty()) {
                        return Mono.error(new BadRequestException(422, unknown));
                    }
                    Location from = ends.getT1().get();
                    Location to = ends.getT2().get();
                    if (!mayRequest(caller, from, to)) {
                        return Mono.error(new ForbiddenException("a transfer is requested by HQ or by the dealer "
                                + "operating " + from.locationId() + " or " + to.locationId()));
                    }
                    return knownSkus(request.lines())
                            .then(Mono.defer(() -> notLocked(request.lines())))
                            .then(Mono.defer(() -> publishRequest(caller, transferId, request)));
                });
    }

    private Mono<Accepted> publishRequest(Caller caller, String transferId, TransferRequests.Request request) {
        Instant at = at(request.occurredAt());
        TransferEvent event = event(caller, transferId, at, TransferRequested.newBuilder()
                .setFromLocationId(request.fromLocationId())
                .setToLocationId(request.toLocationId())
                .setLines(request.lines().stream().map(TransferService::line).toList())
                .setRequestedBy(caller.subject())
                .build());
        TransferDirectory.Entry entry = new TransferDirectory.Entry(transferId, request.fromLocationId(),
                request.toLocationId(), caller.subject(), at);
        return directory.add(entry).flatMap(added -> {
            if (!added) {
                return Mono.error(new BadRequestException(409, List.of(new FieldProblem("transferId",
                        "transfer " + transferId + " exists already"))));
            }
            return publisher.publish(Topics.TRANSFERS, transferId, event)
                    // not published: nothing refers to the id yet, so it is free again for the retry
                    .onErrorResume(e -> directory.remove(transferId).then(Mono.error(e)))
                    .thenReturn(accepted(transferId, "REQUEST", event, null, null));
        });
    }

    public Mono<Accepted> approve(Caller caller, String transferId, TransferRequests.Approval approval,
                                  String authorization) {
        return decide(caller, transferId, authorization, "approved").flatMap(ends -> {
            TransferEvent event = event(caller, transferId, at(approval == null ? null : approval.occurredAt()),
                    TransferApproved.newBuilder().setApprovedBy(caller.subject()).build());
            return publish(transferId, "APPROVE", event, null, null);
        });
    }

    public Mono<Accepted> reject(Caller caller, String transferId, TransferRequests.Rejection rejection,
                                 String authorization) {
        return decide(caller, transferId, authorization, "rejected").flatMap(ends -> {
            TransferEvent event = event(caller, transferId, at(rejection.occurredAt()), TransferRejected.newBuilder()
                    .setRejectedBy(caller.subject()).setReason(rejection.reason()).build());
            return publish(transferId, "REJECT", event, null, null);
        });
    }

    /** Approval and rejection are HQ's, of a transfer that is still REQUESTED. */
    private Mono<TransferView> decide(Caller caller, String transferId, String authorization, String verb) {
        if (caller.role() != Role.HQ) {
            return Mono.error(new ForbiddenException("only HQ approves or rejects a transfer"));
        }
        return ends(transferId)
                .flatMap(ends -> current(caller, ends, authorization))
                .flatMap(view -> expect(view, "REQUESTED", verb));
    }

    public Mono<Accepted> dispatch(Caller caller, String transferId, TransferRequests.Dispatch dispatch,
                                   String authorization) {
        TransferRequests.Dispatch body = dispatch != null ? dispatch : new TransferRequests.Dispatch(null, null, null, null);
        List<FieldProblem> problems = new ArrayList<>(body.domainProblems());
        List<String> codes = readableCodes(body.codes(), problems);
        if (!problems.isEmpty()) {
            return Mono.error(new BadRequestException(400, problems));
        }
        return ends(transferId).flatMap(ends -> {
            if (!operates(caller, ends.from())) {
                return Mono.error(new ForbiddenException("transfer " + transferId + " is dispatched by the operator of "
                        + "its source " + ends.from().locationId() + operatorOf(ends.from())));
            }
            return current(caller, ends, authorization)
                    .flatMap(view -> expect(view, "APPROVED", "dispatched"))
                    .flatMap(view -> {
                        List<Line> asked = body.lines() != null ? body.lines() : requestedLines(view);
                        return linesLeaving(view, asked, authorization);
                    })
                    .flatMap(lines -> {
                        String logisticsOrderId = body.logisticsOrderId() != null ? body.logisticsOrderId()
                                : "LO-" + UUID.randomUUID().toString().substring(0, 13);
                        TransferEvent event = event(caller, transferId, at(body.occurredAt()),
                                TransferDispatched.newBuilder()
                                        .setLogisticsOrderId(logisticsOrderId)
                                        .setLines(lines.stream().map(TransferService::line).toList())
                                        .setCodes(codes)
                                        .build());
                        return publish(transferId, "DISPATCH", event, logisticsOrderId, lines);
                    });
        });
    }

    public Mono<Accepted> receive(Caller caller, String transferId, TransferRequests.Receipt receipt,
                                  String authorization) {
        TransferRequests.Receipt body = receipt != null ? receipt : new TransferRequests.Receipt(null, null);
        List<FieldProblem> problems = body.domainProblems();
        if (!problems.isEmpty()) {
            return Mono.error(new BadRequestException(400, problems));
        }
        return ends(transferId).flatMap(ends -> {
            if (!operates(caller, ends.to())) {
                return Mono.error(new ForbiddenException("transfer " + transferId + " is received by the operator of "
                        + "its destination " + ends.to().locationId() + operatorOf(ends.to())));
            }
            return current(caller, ends, authorization)
                    .flatMap(view -> {
                        if ("RECEIVED".equals(view.status())) {
                            return Mono.error(conflict("status", "transfer " + transferId + " was already received at "
                                    + view.receipt().at() + ": its units entered " + view.toLocationId() + " once"));
                        }
                        return expect(view, "DISPATCHED", "received");
                    })
                    .flatMap(view -> {
                        List<Line> arrived = body.lines() == null ? List.of() : body.lines();
                        List<FieldProblem> wrong = arrivalProblems(view, arrived);
                        if (!wrong.isEmpty()) {
                            return Mono.error(new BadRequestException(422, wrong));
                        }
                        TransferEvent event = event(caller, transferId, at(body.occurredAt()),
                                TransferReceived.newBuilder().setReceivedBy(caller.subject())
                                        .setLines(arrived.stream().map(TransferService::line).toList()).build());
                        return publish(transferId, "RECEIVE", event, null, null);
                    });
        });
    }

    // ------------------------------------------------------------------ reads

    /** Where the transfer stands, read where the source's stock is (forwarded there once if need be). */
    public Mono<TransferView> transfer(Caller caller, String transferId, boolean acceptStale, boolean forwarded,
                                       String authorization) {
        return ends(transferId).flatMap(ends -> {
            if (!access.canSeeLocation(caller, ends.from()) && !access.canSeeLocation(caller, ends.to())) {
                return Mono.error(new ForbiddenException("you may not see transfer " + transferId));
            }
            return state(ends.entry(), acceptStale, forwarded, authorization);
        });
    }

    private Mono<TransferView> current(Caller caller, Ends ends, String authorization) {
        return state(ends.entry(), false, false, authorization).flatMap(view -> TransferView.PENDING.equals(view.status())
                ? Mono.error(new UnavailableException("transfer " + ends.entry().transferId() + " is PENDING: the "
                        + "inventory has not read its request yet", router.retryAfter()))
                : Mono.just(view));
    }

    private Mono<TransferView> state(TransferDirectory.Entry entry, boolean acceptStale, boolean forwarded,
                                     String authorization) {
        String from = entry.fromLocationId();
        KeyOwnerRouter.KeyedQuery<TransferView> query = new KeyOwnerRouter.KeyedQuery<>(TopologyRunner.INVENTORY,
                "transfer " + entry.transferId(),
                streams -> new TransferReads(streams).ownerOf(from),
                (streams, partition, stale) -> {
                    LocalRead<Optional<TransferState>> read = new TransferReads(streams)
                            .transfer(from, entry.transferId(), partition, stale);
                    if (read instanceof LocalRead.Served<Optional<TransferState>> served) {
                        return served.value().map(state -> TransferView.of(state, router.self(), served.fromStandby()))
                                .orElseGet(() -> TransferView.pending(entry, router.self()));
                    }
                    LocalRead.Unavailable<?> unavailable = (LocalRead.Unavailable<?>) read;
                    throw new UnavailableException("the transfers of " + from + " are not readable here ("
                            + unavailable.reason() + ")", router.retryAfter());
                },
                "/api/transfers/{transferId}", Map.of("transferId", entry.transferId()), TransferView.class);
        return router.route(query, acceptStale, forwarded, authorization);
    }

    private Mono<Ends> ends(String transferId) {
        return directory.find(transferId)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("unknown transfer '" + transferId + "'")))
                .flatMap(entry -> Mono.zip(locations.find(entry.fromLocationId()), locations.find(entry.toLocationId()))
                        .map(both -> new Ends(entry, both.getT1(), both.getT2())));
    }

    // ------------------------------------------------------------------ dispatch: what leaves

    /**
     * The lines that leave, with their batches: a named batch must be unlocked and have the units available; a
     * line without one is filled from the source's available batches, earliest expiry first. Refused with the
     * shortfall per line when the source does not have them.
     */
    private Mono<List<Line>> linesLeaving(TransferView view, List<Line> asked, String authorization) {
        List<FieldProblem> problems = requestProblems(view, asked);
        if (!problems.isEmpty()) {
            return Mono.error(new BadRequestException(422, problems));
        }
        List<String> skus = asked.stream().map(Line::sku).distinct().toList();
        return Flux.fromIterable(skus)
                .concatMap(sku -> stock.stockLevel(view.fromLocationId(), sku, false, false, authorization))
                .collectMap(StockLevelView::sku)
                .flatMap(levels -> {
                    Map<String, Long> taken = new HashMap<>();
                    List<FieldProblem> locked = new ArrayList<>();
                    List<FieldProblem> short_ = new ArrayList<>();
                    LocalDate today = LocalDate.now(InventoryRules.defaults().businessZone());
                    List<Line> leaving = new ArrayList<>();
                    // named batches first, so "any batch" lines take what the named ones leave
                    for (int i = 0; i < asked.size(); i++) {
                        Line line = asked.get(i);
                        if (line.batch() == null) {
                            continue;
                        }
                        String batchField = "lines[" + i + "].batch";
                        lockReason(line.sku(), line.batch()).ifPresent(reason -> locked.add(new FieldProblem(
                                batchField, "batch " + line.batch() + " of " + line.sku() + " is locked for recall: " + reason
                                        + "; it may not leave " + view.fromLocationId())));
                        long available = levels.get(line.sku()).batches().stream()
                                .filter(batch -> batch.batch().equals(line.batch()))
                                .mapToLong(StockLevelView.BatchView::available).sum();
                        String key = line.sku() + "|" + line.batch();
                        long free = Math.max(0, available - taken.getOrDefault(key, 0L));
                        if (free < line.quantity()) {
                            short_.add(shortfall(i, line, free, view.fromLocationId()));
                        }
                        taken.merge(key, (long) line.quantity(), Long::sum);
                        leaving.add(line);
                    }
                    for (int i = 0; i < asked.size(); i++) {
                        Line line = asked.get(i);
                        if (line.batch() != null) {
                            continue;
                        }
                        long left = line.quantity();
                        long free = 0;
                        for (StockLevelView.BatchView batch : levels.get(line.sku()).batches()) { // earliest expiry first
                            boolean expired = batch.expiryDate() != null && batch.expiryDate().isBefore(today);
                            String key = line.sku() + "|" + batch.batch();
                            long spare = Math.max(0, batch.available() - taken.getOrDefault(key, 0L));
                            if (left == 0 || expired || spare == 0 || lockReason(line.sku(), batch.batch()).isPresent()) {
                                continue;
                            }
                            long take = Math.min(left, spare);
                            free += take;
                            taken.merge(key, take, Long::sum);
                            leaving.add(new Line(line.sku(), batch.batch(), (int) take));
                            left -= take;
                        }
                        if (left > 0) {
                            short_.add(shortfall(i, line, free, view.fromLocationId()));
                        }
                    }
                    if (!locked.isEmpty()) {
                        return Mono.error(new BadRequestException(409, locked));
                    }
                    if (!short_.isEmpty()) {
                        return Mono.error(new BadRequestException(409, short_));
                    }
                    return Mono.just(merged(leaving));
                });
    }

    private static FieldProblem shortfall(int index, Line line, long available, String sourceId) {
        return new FieldProblem("lines[" + index + "].quantity", line.quantity() + " of " + line.sku()
                + (line.batch() == null ? "" : " batch " + line.batch()) + " wanted, " + available + " available at "
                + sourceId + ": short by " + (line.quantity() - available));
    }

    /** A dispatch sends what was asked for: requested SKUs, requested batches, no more units. */
    private static List<FieldProblem> requestProblems(TransferView view, List<Line> asked) {
        List<FieldProblem> problems = new ArrayList<>();
        Map<String, Long> perSku = new LinkedHashMap<>();
        for (int i = 0; i < asked.size(); i++) {
            Line line = asked.get(i);
            List<TransferView.LineView> requested = view.lines().stream()
                    .filter(r -> r.sku().equals(line.sku())).toList();
            if (requested.isEmpty()) {
                problems.add(new FieldProblem("lines[" + i + "].sku", line.sku() + " was not requested in transfer "
                        + view.transferId()));
                continue;
            }
            boolean anyBatch = requested.stream().anyMatch(r -> r.batch() == null);
            if (line.batch() != null && !anyBatch && requested.stream().noneMatch(r -> line.batch().equals(r.batch()))) {
                problems.add(new FieldProblem("lines[" + i + "].batch", "batch " + line.batch() + " of " + line.sku()
                        + " was not requested (requested: " + requested.stream().map(TransferView.LineView::batch).toList()
                        + ")"));
            }
            long total = perSku.merge(line.sku(), (long) line.quantity(), Long::sum);
            long allowed = requested.stream().mapToLong(TransferView.LineView::quantity).sum();
            if (total > allowed) {
                problems.add(new FieldProblem("lines[" + i + "].quantity", "dispatches " + total + " of " + line.sku()
                        + ", more than the " + allowed + " requested"));
            }
        }
        return problems;
    }

    private static List<FieldProblem> arrivalProblems(TransferView view, List<Line> arrived) {
        List<FieldProblem> problems = new ArrayList<>();
        Map<String, Long> perBatch = new HashMap<>();
        for (int i = 0; i < arrived.size(); i++) {
            Line line = arrived.get(i);
            List<TransferView.LineView> sent = view.dispatch().lines().stream()
                    .filter(d -> d.sku().equals(line.sku()) && (line.batch() == null || d.batch().equals(line.batch())))
                    .toList();
            if (sent.isEmpty()) {
                problems.add(new FieldProblem("lines[" + i + "]", line.sku() + (line.batch() == null ? ""
                        : " batch " + line.batch()) + " was not dispatched in transfer " + view.transferId()));
                continue;
            }
            if (line.batch() == null && sent.stream().map(TransferView.LineView::batch).distinct().count() > 1) {
                problems.add(new FieldProblem("lines[" + i + "].batch", line.sku() + " left in several batches: "
                        + "name the batch that arrived"));
                continue;
            }
            String batch = sent.get(0).batch();
            long total = perBatch.merge(line.sku() + "|" + batch, (long) line.quantity(), Long::sum);
            long dispatched = sent.stream().filter(d -> d.batch().equals(batch))
                    .mapToLong(TransferView.LineView::quantity).sum();
            if (total > dispatched) {
                problems.add(new FieldProblem("lines[" + i + "].quantity", total + " of " + line.sku() + " batch "
                        + batch + " received, but only " + dispatched + " were dispatched"));
            }
        }
        return problems;
    }

    private static List<Line> requestedLines(TransferView view) {
        return view.lines().stream().map(line -> new Line(line.sku(), line.batch(), line.quantity())).toList();
    }

    /** Lines of the same SKU and batch (a named one and a filled one) become one. */
    private static List<Line> merged(List<Line> lines) {
        Map<String, Line> byBatch = new LinkedHashMap<>();
        for (Line line : lines) {
            byBatch.merge(line.sku() + "|" + line.batch(), line,
                    (a, b) -> new Line(a.sku(), a.batch(), a.quantity() + b.quantity()));
        }
        return List.copyOf(byBatch.values());
    }

    // ------------------------------------------------------------------ helpers

    private Mono<Void> knownSkus(List<Line> lines) {
        return Flux.range(0, lines.size())
                .concatMap(i -> checks.unknownSku("lines[" + i + "].sku", lines.get(i).sku()))
                .filter(Optional::isPresent).map(Optional::get)
                .collectList()
                .flatMap(problems -> problems.isEmpty() ? Mono.<Void>empty()
                        : Mono.error(new BadRequestException(422, problems)));
    }

    private Mono<Void> notLocked(List<Line> lines) {
        List<FieldProblem> locked = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            if (line.batch() != null) {
                int index = i;
                lockReason(line.sku(), line.batch()).ifPresent(reason -> locked.add(new FieldProblem(
                        "lines[" + index + "].batch", "batch " + line.batch() + " of " + line.sku()
                                + " is locked for recall: " + reason)));
            }
        }
        return locked.isEmpty() ? Mono.empty() : Mono.error(new BadRequestException(409, locked));
    }

    /** The recall lock on a batch, from this instance's copy of the global lock store (the topology checks too). */
    private Optional<String> lockReason(String sku, String batch) {
        return runner.streams(TopologyRunner.INVENTORY).flatMap(streams -> {
            try {
                return new NetworkReads(streams).lockReason(sku, batch);
            } catch (RuntimeException notQueryableYet) {
                return Optional.empty(); // starting or rebalancing: the topology refuses a locked batch itself
            }
        });
    }

    private static List<String> readableCodes(List<String> codes, List<FieldProblem> problems) {
        if (codes == null) {
            return List.of();
        }
        LinkedHashSet<String> readable = new LinkedHashSet<>();
        for (int i = 0; i < codes.size(); i++) {
            try {
                readable.add(TraceCode.parse(codes.get(i)).code());
            } catch (TraceCode.InvalidTraceCodeException e) {
                problems.add(new FieldProblem("codes[" + i + "]", "not a readable trace code: " + e.getMessage()));
            }
        }
        return List.copyOf(readable);
    }

    private boolean mayRequest(Caller caller, Location from, Location to) {
        return caller.role() == Role.HQ || (caller.role() == Role.DEALER && caller.dealerId() != null
                && (caller.dealerId().equals(from.dealerId()) || caller.dealerId().equals(to.dealerId())));
    }

    /** Who acts for a location: its dealer (or a partner system covering it); HQ where no dealer operates it. */
    private boolean operates(Caller caller, Location location) {
        return switch (caller.role()) {
            case HQ -> location.dealerId() == null;
            case DEALER -> caller.dealerId() != null && caller.dealerId().equals(location.dealerId());
            case PARTNER -> access.canRecordStockAt(caller, location);
            case REGIONAL_MANAGER -> false;
        };
    }

    private static String operatorOf(Location location) {
        return location.dealerId() == null ? " (a brand warehouse: HQ)" : " (dealer " + location.dealerId() + ")";
    }

    private static Mono<TransferView> expect(TransferView view, String wanted, String verb) {
        if (!wanted.equals(view.status())) {
            return Mono.error(conflict("status", "transfer " + view.transferId() + " is " + view.status()
                    + ": it can be " + verb + " only when " + wanted));
        }
        return Mono.just(view);
    }

    private static BadRequestException conflict(String field, String reason) {
        return new BadRequestException(409, List.of(new FieldProblem(field, reason)));
    }

    private Mono<Optional<Location>> location(String locationId) {
        return locations.find(locationId).map(Optional::of).defaultIfEmpty(Optional.empty());
    }

    private Mono<Accepted> publish(String transferId, String step, TransferEvent event, String logisticsOrderId,
                                   List<Line> lines) {
        return publisher.publish(Topics.TRANSFERS, transferId, event)
                .thenReturn(accepted(transferId, step, event, logisticsOrderId, lines));
    }

    private static Accepted accepted(String transferId, String step, TransferEvent event, String logisticsOrderId,
                                     List<Line> lines) {
        return new Accepted(transferId, step, event.getEventId(), logisticsOrderId, lines,
                "/api/transfers/" + transferId);
    }

    private static TransferEvent event(Caller caller, String transferId, Instant at, Object payload) {
        return TransferEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(at)
                .setSource("api:" + caller.role().name().toLowerCase() + ":" + caller.subject())
                .setTransferId(transferId)
                .setPayload(payload)
                .build();
    }

    private static Instant at(Instant given) {
        return given != null ? given : Instant.now();
    }

    private static TransferLine line(Line line) {
        return TransferLine.newBuilder().setSku(line.sku()).setBatch(line.batch()).setQuantity(line.quantity()).build();
    }
}
