package io.channelstream.api.trace;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.web.BadRequestException;
import io.channelstream.api.web.NotFoundException;
import io.channelstream.events.ScanRecorded;
import io.channelstream.events.ScannerRole;
import io.channelstream.regions.RegionTree;
import io.channelstream.schemas.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The public trace lookup: anonymous, by trace code or by GS1 Digital Link path (a QR code printed as
 * {@code https://<our domain>/01/<GTIN>/10/<batch>/21/<serial>} resolves here directly). Every lookup is
 * also a fact: it is published to {@code scans} as a CONSUMER scan, which diversion detection reads (a
 * code scanned far from its bound region, or a code nobody ever shipped).
 *
 * <p>The answer does not wait for the broker's acknowledgement of that scan: the scan is handed to the
 * producer and the answer goes out. A scan the broker refuses, or one dropped because
 * {@link #MAX_SCANS_IN_FLIGHT} are already waiting for the broker (a broker outage), is logged and counted
 * ({@code channelstream.trace.consumer_scans{outcome=failed|dropped}}); the consumer still gets the answer.
 */
@RestController
public class TraceController {

    private static final Logger log = LoggerFactory.getLogger(TraceController.class);
    static final int MAX_CODE_LENGTH = 512;
    static final String SOURCE = "api:public-trace";
    /** Scans handed to the producer and not yet acknowledged, beyond which new ones are dropped (and counted). */
    static final int MAX_SCANS_IN_FLIGHT = 20_000;

    private final TraceLookup lookup;
    private final EventPublisher publisher;
    private final RegionTree regions;
    private final AtomicInteger scansInFlight = new AtomicInteger();
    private final Counter scansRecorded;
    private final Counter scansFailed;
    private final Counter scansDropped;

    public TraceController(TraceLookup lookup, EventPublisher publisher, RegionTree regions, MeterRegistry meters) {
        this.lookup = lookup;
        this.publisher = publisher;
        this.regions = regions;
        this.scansRecorded = consumerScans(meters, "recorded");
        this.scansFailed = consumerScans(meters, "failed");
        this.scansDropped = consumerScans(meters, "dropped");
    }

    private static Counter consumerScans(MeterRegistry meters, String outcome) {
        return Counter.builder("channelstream.trace.consumer_scans")
                .description("Public trace lookups published as CONSUMER scans, by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }

    /**
     * @param regionCode where the consumer is, if the app knows it (GB/T 2260); with latitude/longitude it is
     *                   recorded on the scan event only, never returned
     */
    @GetMapping("/api/public/trace")
    public Mono<TraceView> byCode(@RequestParam String code,
                                  @RequestParam(required = false) String regionCode,
                                  @RequestParam(required = false) Double latitude,
                                  @RequestParam(required = false) Double longitude) {
        if (code.isBlank() || code.length() > MAX_CODE_LENGTH) {
            return Mono.error(BadRequestException.invalid("code", "must be 1 to " + MAX_CODE_LENGTH + " characters"));
        }
        return answer(TraceCodes.canonical(code), regionCode, latitude, longitude);
    }

    @GetMapping({"/api/public/trace/01/{gtin}/10/{batch}/21/{serial}", "/01/{gtin}/10/{batch}/21/{serial}"})
    public Mono<TraceView> byDigitalLink(@PathVariable String gtin, @PathVariable String batch,
                                         @PathVariable String serial,
                                         @RequestParam(required = false) String regionCode,
                                         @RequestParam(required = false) Double latitude,
                                         @RequestParam(required = false) Double longitude) {
        return answer(TraceCodes.digitalLink(gtin, batch, serial).path(), regionCode, latitude, longitude);
    }

    private Mono<TraceView> answer(String code, String regionCode, Double latitude, Double longitude) {
        if (regionCode != null && !regions.exists(regionCode)) {
            return Mono.error(BadRequestException.invalid("regionCode",
                    "'" + regionCode + "' is not a GB/T 2260 province, city or county code"));
        }
        if (latitude != null && (latitude < -90 || latitude > 90)) {
            return Mono.error(BadRequestException.invalid("latitude", "must be between -90 and 90"));
        }
        if (longitude != null && (longitude < -180 || longitude > 180)) {
            return Mono.error(BadRequestException.invalid("longitude", "must be between -180 and 180"));
        }
        // recorded whatever the answer (an unknown code may be counterfeit); the answer does not wait for it
        recordConsumerScan(code, regionCode, latitude, longitude);
        return lookup.lookup(code)
                .switchIfEmpty(Mono.error(() -> new NotFoundException(
                        "no unit with code '" + code + "' was ever shipped by the brand; if it is printed on a "
                                + "product, the product may not be genuine")));
    }

    /**
     * Publishes the lookup as a CONSUMER scan without waiting for the broker; a broker hiccup never costs
     * the consumer the answer, and a failure is logged and counted.
     */
    private void recordConsumerScan(String code, String regionCode, Double latitude, Double longitude) {
        if (scansInFlight.incrementAndGet() > MAX_SCANS_IN_FLIGHT) {
            scansInFlight.decrementAndGet();
            scansDropped.increment();
            log.warn("consumer scan of {} not recorded: {} scans already wait for the broker", code,
                    MAX_SCANS_IN_FLIGHT);
            return;
        }
        ScanRecorded scan = ScanRecorded.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOccurredAt(Instant.now())
                .setSource(SOURCE)
                .setCode(code)
                .setRegionCode(regionCode)
                .setLatitude(latitude)
                .setLongitude(longitude)
                .setScannerRole(ScannerRole.CONSUMER)
                .build();
        Mono.defer(() -> publisher.publish(Topics.SCANS, code, scan))
                .doFinally(signal -> scansInFlight.decrementAndGet())
                .subscribe(published -> scansRecorded.increment(), e -> {
                    scansFailed.increment();
                    log.warn("consumer scan of {} not recorded: {}", code, e.toString());
                });
    }
}
