package dev.rollbackdeploy.haproxy;

import java.util.List;

/** Reads what we need from {@code show stat} (CSV with a '# ' header): a backend's balance algorithm. */
final class StatTable {

    private StatTable() {
    }

    static String algorithm(String csv, String backend, String endpoint) {
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
            throw new IllegalStateException("HAProxy at " + endpoint + " answered 'show stat' without a CSV header");
        }
        List<String> header = List.of(lines.get(0).substring(2).split(",", -1));
        int name = header.indexOf("pxname");
        int kind = header.indexOf("svname");
        int algo = header.indexOf("algo");
        if (name < 0 || kind < 0 || algo < 0) {
            throw new IllegalStateException("HAProxy at " + endpoint + " reports no balance algorithm in 'show stat'"
                    + " (HAProxy 2.0 or newer is needed)");
        }
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(",", -1);
            if (fields.length > algo && fields[name].equals(backend) && fields[kind].equals("BACKEND")) {
                return fields[algo];
            }
        }
        throw new IllegalStateException("HAProxy at " + endpoint + " has no backend named " + backend);
    }
}
