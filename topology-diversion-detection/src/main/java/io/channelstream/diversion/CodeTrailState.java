package io.channelstream.diversion;

import io.channelstream.events.CodeBinding;
import io.channelstream.events.CodeSighting;
import io.channelstream.events.CodeTrail;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A code's trail while one fact is applied to it: read once from the store, changed, written once. */
final class CodeTrailState {

    /** Bindings kept per code; a code changes hands a few times in its life, not dozens. */
    static final int BINDINGS_KEPT = 10;

    final String code;
    final List<CodeBinding> bindings;
    final List<CodeSighting> sightings;
    final Set<String> raised;
    Instant unboundDeadline;

    private CodeTrailState(String code, List<CodeBinding> bindings, List<CodeSighting> sightings,
                           Set<String> raised, Instant unboundDeadline) {
        this.code = code;
        this.bindings = bindings;
        this.sightings = sightings;
        this.raised = raised;
        this.unboundDeadline = unboundDeadline;
    }

    static CodeTrailState of(String code, CodeTrail trail) {
        if (trail == null) {
            return new CodeTrailState(code, new ArrayList<>(), new ArrayList<>(), new LinkedHashSet<>(), null);
        }
        return new CodeTrailState(code, new ArrayList<>(trail.getBindings()), new ArrayList<>(trail.getSightings()),
                new LinkedHashSet<>(trail.getRaisedConditions()), trail.getUnboundDeadline());
    }

    /** The record to store (its constructor: a builder would copy every binding and sighting deeply again). */
    CodeTrail toRecord() {
        return new CodeTrail(code, List.copyOf(bindings), List.copyOf(sightings), List.copyOf(raised), unboundDeadline);
    }

    boolean isBound() {
        return !bindings.isEmpty();
    }

    /** The binding in force at {@code at}: the latest that applied no later than it. */
    static Optional<CodeBinding> bindingAt(List<CodeBinding> bindings, Instant at) {
        CodeBinding inForce = null;
        for (CodeBinding binding : bindings) {
            if (!binding.getOccurredAt().isAfter(at)) {
                inForce = binding; // kept oldest first
            }
        }
        return Optional.ofNullable(inForce);
    }

    Optional<CodeBinding> latestBinding() {
        return bindings.isEmpty() ? Optional.empty() : Optional.of(bindings.get(bindings.size() - 1));
    }

    /** Adds a binding in event-time order; false when this very binding (same event) is already known. */
    boolean addBinding(CodeBinding binding) {
        for (CodeBinding known : bindings) {
            if (known.getEventId().equals(binding.getEventId()) && known.getReference().equals(binding.getReference())) {
                return false;
            }
        }
        bindings.add(binding);
        bindings.sort(Comparator.comparing(CodeBinding::getOccurredAt));
        while (bindings.size() > BINDINGS_KEPT) {
            bindings.remove(0);
        }
        return true;
    }

    /** Adds a sighting in event-time order, keeping the {@code kept} most recent. */
    void addSighting(CodeSighting sighting, int kept) {
        boolean inOrder = sightings.isEmpty()
                || !sightings.get(sightings.size() - 1).getOccurredAt().isAfter(sighting.getOccurredAt());
        sightings.add(sighting);
        if (!inOrder) {
            // kept oldest first; a stable sort leaves a sighting after the ones of its own time, as appending does
            sightings.sort(Comparator.comparing(CodeSighting::getOccurredAt));
        }
        while (sightings.size() > kept) {
            sightings.remove(0);
        }
    }
}
