package io.channelstream.api.subscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses a webhook may reach: public ones, and private ones only when configuration names them. */
class WebhookTargetGuardTest {

    private final WebhookTargetGuard strict = guard(List.of());

    @Test
    void publicAddressesMayBeCalled() throws Exception {
        assertThat(strict.refusal(InetAddress.getByName("93.184.216.34"))).isNull();
        assertThat(strict.refusal(InetAddress.getByName("2606:2800:220:1:248:1893:25c8:1946"))).isNull();
    }

    @Test
    void inwardAddressesAreRefusedWithTheReason() throws Exception {
        assertThat(strict.refusal(InetAddress.getByName("127.0.0.1"))).isEqualTo("a loopback address");
        assertThat(strict.refusal(InetAddress.getByName("::1"))).isEqualTo("a loopback address");
        assertThat(strict.refusal(InetAddress.getByName("169.254.169.254"))).startsWith("a link-local address");
        assertThat(strict.refusal(InetAddress.getByName("fe80::1"))).startsWith("a link-local address");
        assertThat(strict.refusal(InetAddress.getByName("10.0.0.8"))).isEqualTo("a private network address");
        assertThat(strict.refusal(InetAddress.getByName("172.31.255.1"))).isEqualTo("a private network address");
        assertThat(strict.refusal(InetAddress.getByName("192.168.0.1"))).isEqualTo("a private network address");
        assertThat(strict.refusal(InetAddress.getByName("100.100.0.1"))).isEqualTo("a private network address");
        assertThat(strict.refusal(InetAddress.getByName("fc12::1"))).isEqualTo("a private network address");
        assertThat(strict.refusal(InetAddress.getByName("::ffff:127.0.0.1"))).isEqualTo("a loopback address");
        assertThat(strict.refusal(InetAddress.getByName("0.0.0.0"))).isNotNull();
        assertThat(strict.refusal(InetAddress.getByName("224.0.0.1"))).isNotNull();
    }

    @Test
    void configurationAllowsExactlyTheBlocksItNames() throws Exception {
        WebhookTargetGuard tests = guard(List.of("127.0.0.1/32", "10.20.0.0/16"));
        assertThat(tests.refusal(InetAddress.getByName("127.0.0.1"))).isNull();
        assertThat(tests.refusal(InetAddress.getByName("10.20.3.4"))).isNull();
        assertThat(tests.refusal(InetAddress.getByName("127.0.0.2"))).isNotNull();
        assertThat(tests.refusal(InetAddress.getByName("10.21.0.1"))).isNotNull();
    }

    @Test
    void aNameIsJudgedByEveryAddressItResolvesTo() {
        assertThatThrownBy(() -> strict.resolveAllowed("localhost").block(Duration.ofSeconds(10)))
                .isInstanceOf(WebhookTargetGuard.TargetRefusedException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void plainHttpIsRefusedWhenHttpsIsRequired() {
        assertThatThrownBy(() -> strict.check("http://93.184.216.34/hooks").block(Duration.ofSeconds(10)))
                .isInstanceOf(WebhookTargetGuard.TargetRefusedException.class)
                .hasMessage("must be an https URL");
    }

    private static WebhookTargetGuard guard(List<String> allowed) {
        return new WebhookTargetGuard(new WebhookSettings(true, allowed, 15, 1000, 600_000, 30_000, 10_000, 5000,
                200, 200, 500, 512, 64, 30_000, 500, 10, 500, 7));
    }
}
