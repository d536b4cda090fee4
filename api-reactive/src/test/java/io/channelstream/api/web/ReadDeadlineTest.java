package io.channelstream.api.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class ReadDeadlineTest {

    private static final Duration SHORT = Duration.ofMillis(100);

    @Test
    void aReadWhoseAnswerIsLostIsAskedOnceMoreAndItsAnswerServed() {
        AtomicInteger asked = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        Mono<String> read = Mono.defer(() -> asked.incrementAndGet() == 1
                ? Mono.<String>never().doOnCancel(cancelled::incrementAndGet)
                : Mono.just("DL-GZ-001"));

        StepVerifier.create(ReadDeadline.within(read, "location DL-GZ-001", SHORT))
                .expectNext("DL-GZ-001")
                .verifyComplete();
        assertThat(asked).hasValue(2);
        assertThat(cancelled).as("the lost read is cancelled, so its connection goes back to the pool").hasValue(1);
    }

    @Test
    void twoLostAnswersFailWith503NamingTheRead() {
        AtomicInteger asked = new AtomicInteger();
        Mono<String> read = Mono.defer(() -> {
            asked.incrementAndGet();
            return Mono.never();
        });

        StepVerifier.create(ReadDeadline.within(read, "location DL-GZ-001", SHORT))
                .expectErrorSatisfies(error -> {
                    assertThat(error).isInstanceOf(UnavailableException.class)
                            .hasMessageContaining("location DL-GZ-001").hasMessageContaining("100 ms");
                    assertThat(((UnavailableException) error).retryAfter()).isPositive();
                })
                .verify(Duration.ofSeconds(5));
        assertThat(asked).hasValue(2);
    }

    @Test
    void anAnswerInTimeIsServedAndAnErrorIsNotRetried() {
        AtomicInteger asked = new AtomicInteger();
        StepVerifier.create(ReadDeadline.within(Mono.fromSupplier(() -> {
                    asked.incrementAndGet();
                    return "answer";
                }), "product SKU-1", SHORT))
                .expectNext("answer").verifyComplete();
        StepVerifier.create(ReadDeadline.within(Mono.defer(() -> {
                    asked.incrementAndGet();
                    return Mono.error(new IllegalStateException("relation does not exist"));
                }), "product SKU-1", SHORT))
                .expectErrorMessage("relation does not exist").verify();
        assertThat(asked).hasValue(2);
    }
}
