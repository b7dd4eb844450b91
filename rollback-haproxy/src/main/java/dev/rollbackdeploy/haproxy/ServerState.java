package dev.rollbackdeploy.haproxy;

import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code show servers state <backend>}: format version "1", a '#' header naming the
 * columns, then one space-separated row per server. Columns are found by their header name, so a
 * version that adds columns still parses.
 *
 * @param operationalState 0 stopped, 1 starting, 2 running, 3 stopping (HAProxy's srv_op_state)
 * @param adminState       bit field (srv_admin_state); 0 means ready, anything else drain or maintenance
 * @param weight           the weight in force (srv_uweight)
 * @param initialWeight    the weight from the configuration (srv_iweight)
 */
public record ServerState(String backend, String server, int operationalState, int adminState, int weight,
        int initialWeight) {

    static List<ServerState> parse(String reply, String endpoint) {
        List<String> lines = reply.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2 || !lines.get(0).strip().equals("1") || !lines.get(1).startsWith("#")) {
            throw new IllegalStateException("HAProxy at " + endpoint + " answered 'show servers state' with '"
                    + (reply.length() > 200 ? reply.substring(0, 200) + "…" : reply).strip()
                    + "' instead of a version-1 table");
        }
        List<String> header = List.of(lines.get(1).substring(1).strip().split("\\s+"));
        int backend = column(header, "be_name", endpoint);
        int server = column(header, "srv_name", endpoint);
        int op = column(header, "srv_op_state", endpoint);
        int admin = column(header, "srv_admin_state", endpoint);
        int weight = column(header, "srv_uweight", endpoint);
        int initial = column(header, "srv_iweight", endpoint);
        List<ServerState> rows = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            String[] f = line.strip().split("\\s+");
            rows.add(new ServerState(f[backend], f[server], Integer.parseInt(f[op]), Integer.parseInt(f[admin]),
                    Integer.parseInt(f[weight]), Integer.parseInt(f[initial])));
        }
        return rows;
    }

    private static int column(List<String> header, String name, String endpoint) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new IllegalStateException("HAProxy at " + endpoint + ": 'show servers state' has no column " + name
                    + " (columns: " + header + ")");
        }
        return index;
    }
}
