package io.channelstream.api.local;

import io.channelstream.api.kafka.EventPublisher;
import io.channelstream.api.masterdata.DealerDirectory;
import io.channelstream.api.masterdata.DealerRequest;
import io.channelstream.api.masterdata.Location;
import io.channelstream.api.masterdata.LocationDirectory;
import io.channelstream.api.masterdata.Product;
import io.channelstream.api.masterdata.ProductCatalog;
import io.channelstream.api.masterdata.Promotion;
import io.channelstream.api.masterdata.PromotionPlan;
import io.channelstream.api.masterdata.RegionalPrice;
import io.channelstream.api.masterdata.RegionalPriceTable;
import io.channelstream.events.LocationKind;
import io.channelstream.events.PromotionPlanned;
import io.channelstream.schemas.Topic;
import io.channelstream.simulator.SimEvent;
import io.channelstream.simulator.Simulation;
import io.channelstream.simulator.SimulationConfig;
import io.channelstream.simulator.World;
import io.channelstream.simulator.WorldBuilder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Local mode's gentle live traffic, so a newcomer sees the system move: a small simulated brand (see the
 * simulator module) is recorded as master data through the master-data services (PostgreSQL of record and
 * the compacted topics), then its orders, shipments, receipts, sales and scans are published through
 * {@link EventPublisher} at {@code channelstream.local.live-traffic-per-second}, stamped with the wall clock.
 *
 * <p>It runs on a thread of its own, off the start-up thread and off every reactive thread (it waits for each
 * publish, which is fine at a few events a second), and stops with the application. Tests run with local mode
 * off, so they never see it; {@code channelstream.local.live-traffic-per-second=0} turns it off here.
 */
@Component
@ConditionalOnProperty(name = "channelstream.local.enabled", havingValue = "true")
public class LocalLiveTraffic implements ApplicationListener<ApplicationReadyEvent>, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LocalLiveTraffic.class);
    private static final String SOURCE = "local-simulator";
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(30);

    private final LocalTrafficProperties settings;
    private final EventPublisher publisher;
    private final LocationDirectory locations;
    private final DealerDirectory dealers;
    private final ProductCatalog products;
    private final RegionalPriceTable prices;
    private final PromotionPlan promotions;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile Thread worker;

    public LocalLiveTraffic(LocalTrafficProperties settings, EventPublisher publisher, LocationDirectory locations,
                            DealerDirectory dealers, ProductCatalog products, RegionalPriceTable prices,
                            PromotionPlan promotions) {
        this.settings = settings;
        this.publisher = publisher;
        this.locations = locations;
        this.dealers = dealers;
        this.products = products;
        this.prices = prices;
        this.promotions = promotions;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (settings.liveTrafficPerSecond() <= 0) {
            log.info("local mode: live traffic off (channelstream.local.live-traffic-per-second=0)");
            return;
        }
        Thread thread = new Thread(this::run, "local-live-traffic");
        thread.setDaemon(true);
        worker = thread;
        thread.start();
    }

    private void run() {
        try {
            // this week's Monday is day 0; event ids carry the start time so a restart never repeats one
            SimulationConfig config = SimulationConfig.defaults(settings.seed(), settings.demoScale(), 0,
                            LocalDate.now(ZoneOffset.UTC))
                    .withEventIdPrefix("local" + Instant.now().getEpochSecond());
            World world = WorldBuilder.build(config);
            Instant effectiveFrom = config.firstMonday().minusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            long started = System.nanoTime();
            Simulation simulation = new Simulation(config, world, this::publish, Clock.systemUTC());
            recordMasterData(world, simulation, effectiveFrom);
            // a dealer depot is where stock visibly comes and goes; the central warehouse ships all it receives
            World.Site example = world.sites(LocationKind.DEALER).stream().findFirst().orElse(world.sites().get(0));
            log.info("local mode: simulated brand recorded in {} ms (seed {}, scale {} of the seed network: {}); "
                            + "live traffic at {} events/s, e.g. GET /api/locations/{}/stock/{}",
                    (System.nanoTime() - started) / 1_000_000, settings.seed(), settings.demoScale(), world.census(),
                    settings.liveTrafficPerSecond(), example.locationId(), world.assortment(example.locationId()).get(0));
            simulation.runLive(settings.liveTrafficPerSecond(), Duration.ofDays(3650), stopping::get);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!stopping.get()) {
                log.warn("local mode: live traffic stopped: {}", e.toString());
            }
        }
    }

    /**
     * Locations, dealers, products, prices and the brand's planned promotions through the services of record
     * (PostgreSQL, then the topic).
     */
    private void recordMasterData(World world, Simulation simulation, Instant effectiveFrom) {
        Flux.fromIterable(world.sites())
                .concatMap(s -> locations.upsert(new Location(s.locationId(), s.name(), s.kind().name(),
                        s.regionCode(), s.latitude(), s.longitude(), s.parentLocationId(), s.dealerId(),
                        s.safetyStockUnits()), SOURCE))
                .then().block(PUBLISH_TIMEOUT);
        Flux.fromIterable(world.dealers())
                .concatMap(d -> dealers.upsert(d.dealerId(), new DealerRequest(d.name(), d.tier(),
                        d.authorizedRegionCodes(), effectiveFrom, d.regionalManagerRegionCode()), effectiveFrom, SOURCE))
                .then().block(PUBLISH_TIMEOUT);
        Flux.fromIterable(world.products())
                .concatMap(p -> products.upsert(new Product(p.sku(), p.gtin(), p.name(), p.category().name(),
                        p.sizeLabel(), p.shelfLifeDays(), p.expiryWarningDays()), SOURCE))
                .then().block(PUBLISH_TIMEOUT);
        Flux.fromIterable(world.prices())
                .flatMap(r -> prices.upsert(new RegionalPrice(r.sku(), r.regionCode(), effectiveFrom, r.listPriceFen(),
                        r.floorPriceFen()), SOURCE), 8)
                .then().block(Duration.ofMinutes(2));
        Flux.fromIterable(simulation.plannedPromotions(effectiveFrom))
                .map(event -> (PromotionPlanned) event.value())
                .concatMap(p -> promotions.upsert(new Promotion(p.getPromotionId(), p.getSku(), p.getRegionCode(),
                        p.getFirstDay(), p.getLastDay(), p.getMechanism().name(), p.getExpectedLift()), SOURCE))
                .then().block(PUBLISH_TIMEOUT);
    }

    private void publish(SimEvent event) {
        if (!stopping.get()) {
            send(event.topic(), event.key(), event.value()).block(PUBLISH_TIMEOUT);
        }
    }

    @SuppressWarnings("unchecked") // a SimEvent's value is of its topic's value type by construction
    private <V extends SpecificRecord> Mono<EventPublisher.PublishedEvent> send(Topic<V> topic, String key,
                                                                              SpecificRecord value) {
        return publisher.publish(topic, key, (V) value);
    }

    @Override
    public void start() {
        // the worker starts once the application is ready (onApplicationEvent)
    }

    @Override
    public void stop() {
        stopping.set(true);
        Thread thread = worker;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        Thread thread = worker;
        return thread != null && thread.isAlive();
    }

    @Override
    public int getPhase() {
        // stop before the Kafka publisher and the topologies stop
        return Integer.MAX_VALUE - 1;
    }
}
