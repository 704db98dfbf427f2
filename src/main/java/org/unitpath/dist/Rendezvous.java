package org.unitpath.dist;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Where and as which rank a process joins its process group: the variables that torchrun and
 * {@link Launcher} set (MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK and the optional LOCAL_RANK,
 * which defaults to RANK), and GLOO_SOCKET_IFNAME, the network interfaces Gloo should use between
 * machines (comma-separated; by default the one of this machine's host name).
 */
public record Rendezvous(String masterAddr, int masterPort, int worldSize, int rank, int localRank,
        boolean loopback, String glooInterfaces) {

    /** Parses and checks the variables; an error names the variable that is missing or wrong. */
    public static Rendezvous fromEnvironment(Map<String, String> env) {
        String addr = required(env, "MASTER_ADDR");
        int port = integer(env, "MASTER_PORT", 1, 65535, required(env, "MASTER_PORT"));
        int world = integer(env, "WORLD_SIZE", 1, Integer.MAX_VALUE, required(env, "WORLD_SIZE"));
        int rank = integer(env, "RANK", 0, world - 1, required(env, "RANK"));
        String local = env.get("LOCAL_RANK");
        int localRank = local == null ? rank : integer(env, "LOCAL_RANK", 0, world - 1, local);
        InetAddress master;
        try {
            master = InetAddress.getByName(addr);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("MASTER_ADDR '" + addr + "' is not a known host name or address");
        }
        String ifnames = env.get("GLOO_SOCKET_IFNAME");
        return new Rendezvous(addr, port, world, rank, localRank, master.isLoopbackAddress(),
                ifnames == null || ifnames.isBlank() ? null : ifnames.trim());
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("environment variable " + name + " is not set (multi-process runs need "
                    + "MASTER_ADDR, MASTER_PORT, WORLD_SIZE and RANK; or use --nproc N on one machine)");
        }
        return v.trim();
    }

    private static int integer(Map<String, String> env, String name, int min, int max, String text) {
        int v;
        try {
            v = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("environment variable " + name + "='" + text + "' is not an integer");
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("environment variable " + name + "=" + v + " is out of range "
                    + min + ".." + max + (name.endsWith("RANK") ? " (WORLD_SIZE=" + env.get("WORLD_SIZE") + ")" : ""));
        }
        return v;
    }

    @Override
    public String toString() {
        return "rank " + rank + " of " + worldSize + ", rendezvous " + masterAddr + ":" + masterPort;
    }
}
