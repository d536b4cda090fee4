package io.channelstream.api.trace;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The public trace lookup: anonymous, by trace code or by GS1 Digital Link path (a QR code printed as
 * {@code https://<our domain>/01/<GTIN>/10/<batch>/21/<serial>} resolves here directly). Every lookup is
 * also a fact, published as a CONSUMER scan ({@link ConsumerScans}). The rules are {@link PublicTraceAnswers}'s;
 * the hot requests are answered by {@link TraceLookupRoute} ahead of this controller, with the same answers.
 */
@RestController
public class TraceController {

    private final PublicTraceAnswers answers;

    public TraceController(PublicTraceAnswers answers) {
        this.answers = answers;
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
        return answers.byCode(code, regionCode, latitude, longitude).map(TraceLookup.PublicTrace::view);
    }

    @GetMapping({"/api/public/trace/01/{gtin}/10/{batch}/21/{serial}", "/01/{gtin}/10/{batch}/21/{serial}"})
    public Mono<TraceView> byDigitalLink(@PathVariable String gtin, @PathVariable String batch,
                                         @PathVariable String serial,
                                         @RequestParam(required = false) String regionCode,
                                         @RequestParam(required = false) Double latitude,
                                         @RequestParam(required = false) Double longitude) {
        return answers.byDigitalLink(gtin, batch, serial, regionCode, latitude, longitude)
                .map(TraceLookup.PublicTrace::view);
    }
}
