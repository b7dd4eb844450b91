package dev.rollbackdeploy.jenkins.config;

import hudson.Util;
import hudson.util.FormValidation;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Form-field checks shared by the three kinds of configured targets; messages quote the value. */
final class Fields {

    /** Names are referenced from Pipeline scripts: keep them short and free of quoting trouble. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private Fields() {
    }

    static FormValidation checkName(String value) {
        String name = Util.fixEmptyAndTrim(value);
        if (name == null) {
            return FormValidation.error(Messages.Fields_NameRequired());
        }
        if (!NAME.matcher(name).matches()) {
            return FormValidation.error(Messages.Fields_NameInvalid(name));
        }
        return FormValidation.ok();
    }

    /** An absolute http(s) URL with a host and without user info (credentials belong in a credential). */
    static FormValidation checkHttpUrl(String value, boolean required) {
        String url = Util.fixEmptyAndTrim(value);
        if (url == null) {
            return required ? FormValidation.error(Messages.Fields_UrlRequired()) : FormValidation.ok();
        }
        try {
            URI uri = new URI(url);
            if (uri.getRawUserInfo() != null) {
                // never echo the value: it holds a password
                return FormValidation.error(Messages.Fields_UrlUserInfo());
            }
            String scheme = uri.getScheme();
            if (!("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) || uri.getHost() == null) {
                return FormValidation.error(Messages.Fields_UrlInvalid(url));
            }
            return FormValidation.ok();
        } catch (URISyntaxException e) {
            return FormValidation.error(Messages.Fields_UrlInvalid(url.replaceAll("//[^/@]*@", "//***@")));
        }
    }

    /** Splits a comma/whitespace separated list into its non-empty items. */
    static List<String> split(String value) {
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split("[,\\s]+")) {
                if (!item.isBlank()) {
                    items.add(item.strip());
                }
            }
        }
        return items;
    }

    static FormValidation checkList(String value, String what) {
        List<String> items = split(value);
        if (items.isEmpty()) {
            return FormValidation.error(Messages.Fields_ListRequired(what));
        }
        for (String item : items) {
            if (!item.matches("[A-Za-z0-9_.:-]{1,64}")) {
                return FormValidation.error(Messages.Fields_ListItemInvalid(what, item));
            }
        }
        return FormValidation.ok();
    }

    static FormValidation checkPositiveSeconds(int value, String what, int max) {
        if (value < 1 || value > max) {
            return FormValidation.error(Messages.Fields_SecondsRange(what, max, value));
        }
        return FormValidation.ok();
    }
}
