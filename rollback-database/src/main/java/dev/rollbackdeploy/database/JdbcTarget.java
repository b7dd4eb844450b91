package dev.rollbackdeploy.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Where a database is and how to log in. The password is never part of {@link #toString()} or of
 * any message: messages name {@link #safeUrl()}, the URL without credentials in it.
 *
 * @param url      a JDBC URL, e.g. {@code jdbc:postgresql://db:5432/shop}
 * @param user     the user, or null to let the URL or driver decide
 * @param password the password, or null
 * @param timeout  how long connecting and each read may take before the database counts as unreachable
 */
public record JdbcTarget(String url, String user, String password, Duration timeout) {

    public JdbcTarget {
        if (url == null || !url.startsWith("jdbc:") || url.length() > 2_000) {
            throw new IllegalArgumentException("datasource url must be a JDBC URL like jdbc:postgresql://host:5432/db, got '"
                    + (url == null ? null : redact(url)) + "'");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.toSeconds() > 300) {
            throw new IllegalArgumentException("datasource timeout must be 1 s .. 5 min, got " + timeout);
        }
    }

    public JdbcTarget(String url, String user, String password) {
        this(url, user, password, Duration.ofSeconds(5));
    }

    /** The URL with any {@code password=} parameter and {@code user:password@} part removed. */
    public String safeUrl() {
        return redact(url);
    }

    /**
     * Opens a connection, with connect and read timeouts for drivers that understand pgjdbc's
     * property names (PostgreSQL; others ignore them).
     */
    Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        String seconds = String.valueOf(Math.max(1, timeout.toSeconds()));
        properties.setProperty("connectTimeout", seconds);
        properties.setProperty("loginTimeout", seconds);
        properties.setProperty("socketTimeout", seconds);
        Connection connection = DriverManager.getConnection(url, properties);
        connection.setReadOnly(true);
        return connection;
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//[^/@]*:[^/@]*@", "//***@");
    }

    @Override
    public String toString() {
        return "JdbcTarget[" + safeUrl() + ", user=" + user + "]";
    }
}
