package org.unitpath.infer;

import java.io.IOException;

/**
 * Where segmented nuclei go as a slide is processed: an output file written under a temporary
 * name that only {@link #commit} makes final; {@link #close} without commit discards it.
 */
public interface NucleusSink extends AutoCloseable {
    void accept(Nucleus nucleus) throws IOException;

    /** No nucleus accepted from now on reaches above image row {@code y}. */
    default void rowsComplete(int y) throws IOException {}

    /** Finishes the output and gives it its final name. */
    void commit() throws IOException;

    @Override
    void close() throws IOException;
}
