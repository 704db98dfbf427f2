package org.unitpath.torch.pt;

import java.util.List;

/** A Python object the reader does not turn into a Java value: its class and constructor arguments. */
public final class PyObject {
    final String module;
    final String name;
    final List<Object> args;
    Object state;

    PyObject(String module, String name, List<Object> args) {
        this.module = module;
        this.name = name;
        this.args = args;
    }

    public String typeName() {
        return module + "." + name;
    }

    @Override
    public String toString() {
        return "<" + typeName() + ">";
    }
}
