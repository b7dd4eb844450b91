package dev.rollbackdeploy.record;

import java.net.URI;

/**
 * The build that deployed: which build, where its page is, and who started it.
 *
 * @param ref   job and number
 * @param url   the build's page, http(s) without user info
 * @param actor the user or trigger that started the build (e.g. {@code alice}, {@code timer})
 */
public record BuildInfo(BuildRef ref, URI url, String actor) {

    public BuildInfo {
        if (ref == null) {
            throw new IllegalArgumentException("build ref must not be null");
        }
        Checks.httpUrl("build url", url);
        Checks.name("build actor", actor, 256);
    }
}
