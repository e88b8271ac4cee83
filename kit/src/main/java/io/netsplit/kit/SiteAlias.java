package io.netsplit.kit;

import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * The name of a site, such as {@code us-east}: lowercase letters, digits and '-', starting with a letter, at most
 * 31 characters. Topic names ({@code <alias>.changes}), consumer groups, application ids and metrics tags are
 * derived from it, so every service, the lab and the drills accept exactly the same aliases.
 */
public record SiteAlias(String value) {

    /** The one regular expression of a site alias. */
    public static final String REGEX = "[a-z][a-z0-9-]{0,30}";

    /** How a site alias looks, for messages. */
    public static final String RULE = "lowercase letters, digits and '-', starting with a letter, at most 31 characters";

    private static final Pattern PATTERN = Pattern.compile(REGEX);

    /** @throws IllegalArgumentException when {@code value} is not a site alias */
    public SiteAlias {
        if (!isValid(value)) {
            throw new IllegalArgumentException("'" + value + "' is not a site alias (" + RULE + ")");
        }
    }

    /** The alias {@code value}; {@link IllegalArgumentException} with the rule when it is not one. */
    public static SiteAlias of(String value) {
        return new SiteAlias(value);
    }

    /** Whether {@code value} is a site alias. */
    public static boolean isValid(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }

    /** A {@link ConfigDef} validator: the value must be a site alias. */
    public static ConfigDef.Validator validator() {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                if (value == null || !isValid(value.toString())) {
                    throw new ConfigException(name, value, "not a site alias (" + RULE + ")");
                }
            }

            @Override
            public String toString() {
                return "a site alias (" + RULE + ")";
            }
        };
    }

    @Override
    public String toString() {
        return value;
    }
}
