package io.channelstream.api.diversion;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.masterdata.DealerDirectory;
import io.channelstream.api.masterdata.Location;
import io.channelstream.api.masterdata.LocationDirectory;
import io.channelstream.api.security.AccessPolicy;
import io.channelstream.api.security.Caller;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.FieldProblem;
import io.channelstream.api.web.ForbiddenException;
import io.channelstream.diversion.TraceCode;
import io.channelstream.events.CaseUnit;
import io.channelstream.events.Pallet;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ShipmentDispatched;
import io.channelstream.events.ShipmentLine;
import io.channelstream.regions.RegionTree;
import io.channelstream.schemas.Topics;
import jakarta.validation.Valid;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The facts diversion detection judges, in through HTTP: scans of trace codes and dispatched shipments
 * with their codes. Each is checked here the way the topology would (readable codes, a place in the
 * region tree) so that a caller hears about a mistake at once, with the field and the reason, instead of
 * the fact silently landing on the dead-letter topic.
 */
@RestController
@RequestMapping("/api")
public class DiversionCommandsController {

    /** Codes one shipment request may carry (a full truck of pallets of cases of items). */
    static final int MAX_CODES_PER_SHIPMENT = 50_000;

    private final EventPublisher publisher;
    private final LocationDirectory locations;
    private final DealerDirectory dealers;
    private final AccessPolicy access;
    private final RegionTree regions;

    public DiversionCommandsController(EventPublisher publisher, LocationDirectory locations, DealerDirectory dealers,
                                       AccessPolicy access, RegionTree regions) {
        this.publisher = publisher;
        this.locations = locations;
        this.dealers = dealers;
        this.access = access;
        this.regions = regions;
    }

    /** Records a scan: 202 once the broker has it; alerts (if any) follow within moments. */
    @PostMapping("/scans")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<Accepted> recordScan(@AuthenticationPrincipal Jwt jwt, @Valid @RequestBody ScanRequest request) {
        Caller caller = Caller.from(jwt);
        List<FieldProblem> problems = new ArrayList<>();
        TraceCode code = readable(request.code(), "code", problems);
        if ((request.latitude() == null) != (request.longitude() == null)) {
            problems.add(new FieldProblem(request.latitude() == null ? "latitude" : "longitude",
                    "latitude and longitude go together"));
        }
        if (request.placeLocationId() == null && (request.regionCode() == null || request.regionCode().isBlank())) {
            problems.add(new FieldProblem("regionCode", "a scan needs a place: give regionCode or placeLocationId"));
        }
        if (!problems.isEmpty()) {
            return Mono.error(new BadRequestException(400, problems));
        }
        if (request.regionCode() != null && !regions.exists(request.regionCode())) {
            return Mono.error(BadRequestException.unprocessable("regionCode",
                    "'" + request.regionCode() + "' is not a GB/T 2260 province, city or county code"));
        }
        Mono<Optional<Location>> place = request.placeLocationId() == null ? Mono.just(Optional.empty())
                : locations.find(request.placeLocationId()).map(Optional::of)
                        .switchIfEmpty(Mono.error(() -> BadRequestException.unprocessable("placeLocationId",
                                "unknown location '" + request.placeLocationId() + "'")));
        return place.flatMap(location -> {
            String regionCode = request.regionCode() != null ? request.regionCode()
                    : location.map(Location::regionCode).orElseThrow();
            if (!access.canRecordScan(caller, location.orElse(null), regionCode)) {
                return Mono.error(new ForbiddenException("you may not record scans in region " + regionCode
                        + location.map(l -> " at location " + l.locationId()).orElse("")));
            }
            ScanRecorded event = ScanRecorded.newBuilder()
                    .setEventId(UUID.randomUUID().toString())
                    .setOccurredAt(request.occurredAt() != null ? request.occurredAt() : Instant.now())
                    .setSource(source(caller))
                    .setCode(code.code())
                    .setPlaceLocationId(request.placeLocationId())
                    .setRegionCode(request.regionCode())
                    .setLatitude(request.latitude())
                    .setLongitude(request.longitude())
                    .setScannerRole(request.scannerRole())
                    .setUnitPriceFen(request.unitPriceFen())
                    .build();
            // keyed by the code as printed: the partition where its binding lives
            return publisher.publish(Topics.SCANS, code.code(), event)
                    .map(published -> new Accepted(event.getEventId(), code.code(), published.partition(),
                            published.offset()));
        });
    }

    /** Records a dispatched shipment and the codes it carries: 202 once the broker has it. */
    @PostMapping("/shipments")
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<Accepted> recordShipment(@AuthenticationPrincipal Jwt jwt,
                                         @Valid @RequestBody ShipmentRequest request) {
        Caller caller = Caller.from(jwt);
        List<FieldProblem> problems = new ArrayList<>();
        if (request.shipmentId().contains("|")) {
            problems.add(new FieldProblem("shipmentId", "must not contain '|'"));
        }
        List<Pallet> pallets = new ArrayList<>();
        List<CaseUnit> looseCases = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int p = 0; p < request.palletsOrEmpty().size(); p++) {
            ShipmentRequest.PalletUnit pallet = request.palletsOrEmpty().get(p);
            String field = "pallets[" + p + "]";
            String palletCode = unique(pallet.palletCode(), field + ".palletCode", seen, problems);
            List<CaseUnit> cases = new ArrayList<>();
            for (int c = 0; c < pallet.cases().size(); c++) {
                cases.add(caseUnit(pallet.cases().get(c), field + ".cases[" + c + "]", seen, problems));
            }
            pallets.add(Pallet.newBuilder().setPalletCode(palletCode).setCases(cases).build());
        }
        for (int c = 0; c < request.looseCasesOrEmpty().size(); c++) {
            looseCases.add(caseUnit(request.looseCasesOrEmpty().get(c), "looseCases[" + c + "]", seen, problems));
        }
        if (seen.size() > MAX_CODES_PER_SHIPMENT) {
            problems.add(new FieldProblem("pallets", "carries " + seen.size() + " codes; at most "
                    + MAX_CODES_PER_SHIPMENT + " per request"));
        }
        if (!problems.isEmpty()) {
            return Mono.error(new BadRequestException(400, problems));
        }
        Mono<Location> from = known(request.fromLocationId(), "fromLocationId");
        Mono<Location> to = known(request.toLocationId(), "toLocationId");
        Mono<String> receivingDealer = to.flatMap(destination -> {
            String dealerId = request.toDealerId() != null ? request.toDealerId() : destination.dealerId();
            if (dealerId == null) {
                return Mono.just(""); // the brand's own warehouse: bound to the location's region
            }
            return dealers.find(dealerId).map(dealer -> dealer.dealerId())
                    .switchIfEmpty(Mono.error(() -> BadRequestException.unprocessable(
                            request.toDealerId() != null ? "toDealerId" : "toLocationId",
                            "unknown dealer '" + dealerId + "'")));
        });
        return Mono.zip(from, to, receivingDealer).flatMap(resolved -> {
            if (!access.canRecordStockAt(caller, resolved.getT1())) {
                return Mono.error(new ForbiddenException("you may not record shipments from location "
                        + resolved.getT1().locationId()));
            }
            String dealerId = resolved.getT3().isEmpty() ? null : resolved.getT3();
            ShipmentDispatched event = ShipmentDispatched.newBuilder()
                    .setEventId(UUID.randomUUID().toString())
                    .setOccurredAt(request.occurredAt() != null ? request.occurredAt() : Instant.now())
                    .setSource(source(caller))
                    .setShipmentId(request.shipmentId())
                    .setOrderId(request.orderId())
                    .setFromLocationId(request.fromLocationId())
                    .setToLocationId(request.toLocationId())
                    .setToDealerId(dealerId)
                    .setLines(request.lines().stream().map(line -> ShipmentLine.newBuilder()
                            .setSku(line.sku())
                            .setBatch(line.batch())
                            .setQuantity(line.quantity())
                            .setProductionDate(line.productionDate())
                            .setExpiryDate(line.expiryDate())
                            .build()).toList())
                    .setPallets(pallets)
                    .setLooseCases(looseCases)
                    .build();
            return publisher.publish(Topics.SHIPMENTS, request.shipmentId(), event)
                    .map(published -> new Accepted(event.getEventId(), request.shipmentId(), published.partition(),
                            published.offset()));
        });
    }

    private Mono<Location> known(String locationId, String field) {
        return locations.find(locationId).switchIfEmpty(Mono.error(() -> BadRequestException.unprocessable(field,
                "unknown location '" + locationId + "'")));
    }

    private static CaseUnit caseUnit(ShipmentRequest.CaseUnit unit, String field, Set<String> seen,
                                     List<FieldProblem> problems) {
        String caseCode = unique(unit.caseCode(), field + ".caseCode", seen, problems);
        List<String> items = new ArrayList<>();
        List<String> given = unit.itemCodes() == null ? List.of() : unit.itemCodes();
        for (int i = 0; i < given.size(); i++) {
            items.add(unique(given.get(i), field + ".itemCodes[" + i + "]", seen, problems));
        }
        return CaseUnit.newBuilder().setCaseCode(caseCode).setSku(unit.sku()).setBatch(unit.batch())
                .setItemCodes(items).build();
    }

    private static String unique(String raw, String field, Set<String> seen, List<FieldProblem> problems) {
        TraceCode code = readable(raw, field, problems);
        if (code == null) {
            return raw;
        }
        if (!seen.add(code.code())) {
            problems.add(new FieldProblem(field, "code " + code.code() + " appears twice in this shipment"));
        }
        return code.code();
    }

    private static TraceCode readable(String raw, String field, List<FieldProblem> problems) {
        try {
            return TraceCode.parse(raw);
        } catch (TraceCode.InvalidTraceCodeException e) {
            problems.add(new FieldProblem(field, "not a readable trace code: " + e.getMessage()));
            return null;
        }
    }

    private static String source(Caller caller) {
        return "api:" + caller.role().name().toLowerCase() + ":" + caller.subject();
    }

    /** Where the accepted fact landed; {@code key} is the code or shipment it concerns. */
    public record Accepted(String eventId, String key, int partition, long offset) {}
}
