package rnnlab.kernel;

import java.lang.reflect.Field;

/**
 * Access to rapaio-jupyter-kernel 3.0.1's private fields, which the kernel workarounds of this
 * package read and replace (its handler table, sockets, loop threads, snippet executor). Every such
 * access goes through {@link #field}, so an upstream rename fails with the field's name.
 */
final class Upstream {

    private Upstream() {
    }

    /** The declared field {@code name} of {@code type}, made accessible. */
    static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field f = type.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
