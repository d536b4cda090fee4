package io.channelstream.schemas;

import java.util.List;
import java.util.Objects;
import org.apache.avro.Schema;

/**
 * A {@link SchemaRegistryClient} over a {@link SchemaStore} in the same JVM: TopologyTestDriver tests and the
 * app's own local registry use it, with the same answers and errors a REST registry gives.
 */
public final class InProcessSchemaRegistryClient implements SchemaRegistryClient {

    private final SchemaStore store;
    private final Runnable catchUp;

    /** A client over a fresh, empty store (BACKWARD by default). */
    public InProcessSchemaRegistryClient() {
        this(new SchemaStore());
    }

    public InProcessSchemaRegistryClient(SchemaStore store) {
        this(store, () -> { });
    }

    /**
     * A client over a store that other writers may extend (another app instance embedding a registry over
     * the same log): an id this store does not know yet makes it run {@code catchUp} (read the log to its
     * end) once before the id is declared unknown.
     */
    public InProcessSchemaRegistryClient(SchemaStore store, Runnable catchUp) {
        this.store = Objects.requireNonNull(store, "store");
        this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
    }

    public SchemaStore store() {
        return store;
    }

    @Override
    public int register(String subject, Schema schema) {
        return store.register(subject, schema.toString());
    }

    @Override
    public int idOf(String subject, Schema schema) {
        return store.lookup(subject, schema.toString()).id();
    }

    @Override
    public Schema schemaById(int id) {
        try {
            return SchemaStore.parse(store.schemaById(id));
        } catch (SchemaRegistryException unknown) {
            catchUp.run();
            return SchemaStore.parse(store.schemaById(id));
        }
    }

    @Override
    public boolean isCompatible(String subject, Schema schema) {
        return store.isCompatible(subject, schema.toString(), "latest");
    }

    @Override
    public List<String> subjects() {
        return store.subjects();
    }
}
