package io.channelstream.api.subscriptions;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Promise;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Name resolution for the webhook HTTP client that only ever yields addresses {@link WebhookTargetGuard}
 * allows: the check happens on the address the connection is then made to, so nothing can slip in between
 * a check and a connect. Addresses given as literals are checked the same way.
 */
final class GuardedAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    private final WebhookTargetGuard guard;

    GuardedAddressResolverGroup(WebhookTargetGuard guard) {
        this.guard = guard;
    }

    @Override
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new AbstractAddressResolver<>(executor, InetSocketAddress.class) {
            @Override
            protected boolean doIsResolved(InetSocketAddress address) {
                return false; // even a literal address goes through the guard
            }

            @Override
            protected void doResolve(InetSocketAddress target, Promise<InetSocketAddress> promise) {
                guard.resolveAllowed(target.getHostString()).subscribe(
                        addresses -> promise.trySuccess(new InetSocketAddress(addresses.get(0), target.getPort())),
                        promise::tryFailure);
            }

            @Override
            protected void doResolveAll(InetSocketAddress target, Promise<List<InetSocketAddress>> promise) {
                guard.resolveAllowed(target.getHostString()).subscribe(
                        addresses -> promise.trySuccess(addresses.stream()
                                .map(address -> new InetSocketAddress(address, target.getPort())).toList()),
                        promise::tryFailure);
            }
        };
    }
}
