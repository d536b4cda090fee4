package io.channelstream.api.subscriptions;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Server-side request forgery guard for webhook targets: a partner must not make us call our own
 * loopback, the cloud metadata endpoint, or anything on a private network. Checked when a subscription is
 * created (a clear 422) and again for every connection ({@link GuardedAddressResolverGroup}), on the
 * addresses actually connected to, so a DNS name that later resolves to a private address (DNS
 * rebinding) is refused too. Configuration may allow named CIDR blocks (a test's local receiver).
 */
@Component
public class WebhookTargetGuard {

    private final boolean requireHttps;
    private final List<Cidr> allowed;

    public WebhookTargetGuard(WebhookSettings settings) {
        this.requireHttps = settings.requireHttps();
        this.allowed = settings.allowedPrivateTargets().stream().map(Cidr::parse).toList();
    }

    /** The target is refused; the message says why, for the partner. */
    public static final class TargetRefusedException extends RuntimeException {
        public TargetRefusedException(String message) {
            super(message, null, false, false);
        }
    }

    /** Checks a webhook URL's form and where its host resolves to now. */
    public Mono<URI> check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Mono.error(new TargetRefusedException("not a URL: " + e.getReason()));
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && !requireHttps)) {
            return Mono.error(new TargetRefusedException(requireHttps ? "must be an https URL" : "must be an http(s) URL"));
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            return Mono.error(new TargetRefusedException("must name a host, without user information"));
        }
        return resolveAllowed(uri.getHost()).thenReturn(uri);
    }

    /**
     * The host's addresses, all of which must be public or explicitly allowed. Name resolution blocks, so it
     * runs here, on the bounded elastic scheduler: the one blocking edge of webhook delivery.
     */
    public Mono<List<InetAddress>> resolveAllowed(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return Mono.fromCallable(() -> Arrays.asList(InetAddress.getAllByName(bare)))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(UnknownHostException.class, e -> new TargetRefusedException("host '" + host
                        + "' does not resolve"))
                .flatMap(addresses -> {
                    for (InetAddress address : addresses) {
                        String reason = refusal(address);
                        if (reason != null) {
                            return Mono.error(new TargetRefusedException("host '" + host + "' resolves to "
                                    + address.getHostAddress() + ", " + reason));
                        }
                    }
                    return Mono.just(addresses);
                });
    }

    /** Why the address may not be called, or null when it may. */
    String refusal(InetAddress address) {
        if (allowed.stream().anyMatch(cidr -> cidr.contains(address))) {
            return null;
        }
        InetAddress effective = embeddedIpv4(address);
        if (effective.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (effective.isLinkLocalAddress()) {
            return "a link-local address (this includes cloud metadata endpoints)";
        }
        if (effective.isSiteLocalAddress() || isUniqueLocalIpv6(effective) || isSharedAddressSpace(effective)) {
            return "a private network address";
        }
        if (effective.isAnyLocalAddress() || effective.isMulticastAddress() || isThisNetwork(effective)) {
            return "not a unicast host address";
        }
        return null;
    }

    /** IPv4-mapped and IPv4-compatible IPv6 addresses are judged by the IPv4 address they carry. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] bytes = address.getAddress();
            boolean zeroPrefix = true;
            for (int i = 0; i < 10; i++) {
                zeroPrefix &= bytes[i] == 0;
            }
            boolean mapped = zeroPrefix && bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
            boolean compatible = zeroPrefix && bytes[10] == 0 && bytes[11] == 0
                    && !(bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0); // not ::, ::1
            if (mapped || compatible) {
                try {
                    return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
                } catch (UnknownHostException impossible) {
                    return address;
                }
            }
        }
        return address;
    }

    /** fc00::/7, IPv6's private range. */
    private static boolean isUniqueLocalIpv6(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    /** 100.64.0.0/10, carrier-grade NAT. */
    private static boolean isSharedAddressSpace(InetAddress address) {
        byte[] b = address.getAddress();
        return address instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }

    /** 0.0.0.0/8. */
    private static boolean isThisNetwork(InetAddress address) {
        return address instanceof Inet4Address && address.getAddress()[0] == 0;
    }

    /** A CIDR block such as {@code 127.0.0.1/32} or {@code fd00::/8}; a bare address means just that address. */
    record Cidr(byte[] network, int prefixLength) {

        static Cidr parse(String text) {
            String[] parts = text.strip().split("/");
            try {
                byte[] network = InetAddress.getByName(parts[0]).getAddress();
                int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : network.length * 8;
                return new Cidr(network, prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("channelstream.webhooks.allowed-private-targets: '" + text
                        + "' is not a CIDR block", e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            BigInteger mask = BigInteger.ONE.shiftLeft(network.length * 8).subtract(BigInteger.ONE)
                    .shiftRight(prefixLength).not();
            return new BigInteger(1, candidate).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
