package io.netsplit.drills.scenario;

/**
 * An invalid scenario manifest. The message is one line naming the file, the line, the field
 * path and the problem: {@code golden-path.yaml:14: steps[3].isolate: site 'us-wst' is not one of [us-east, eu-west]}.
 */
public final class ManifestException extends IllegalArgumentException {

    public ManifestException(String message) {
        super(message);
    }
}
