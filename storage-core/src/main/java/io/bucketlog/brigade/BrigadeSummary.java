package io.bucketlog.brigade;

import io.bucketlog.CorruptionReport;
import java.util.List;

/**
 * What one brigade pass did, with exact totals.
 *
 * @param merges merges committed (bucket windows and roll-ups)
 * @param rollUps of those, roll-ups of a whole index window
 * @param inputs buckets those merges replaced
 * @param events events written into merged buckets
 * @param bytesWritten bytes of the merged buckets
 * @param copies copies of an event found among the inputs and written once
 * @param racesLost merges another brigade committed first (their output was deleted)
 * @param claimedElsewhere merges left to another brigade's unexpired claim
 * @param damagedInputs inputs with damage, merged as far as intact and kept aside
 * @param inputsDeleted inputs deleted after their commit's grace period
 * @param bytesDeleted their bytes, with those of expired windows
 * @param windowsExpired index windows deleted by retention
 * @param damage the damage met, with its location
 * @param failures windows and merges not done because of an error (an I/O error, records the
 *     format refuses), each a message naming the window; what they concern stays as it was
 */
public record BrigadeSummary(int merges, int rollUps, int inputs, long events, long bytesWritten,
                             long copies, int racesLost, int claimedElsewhere, int damagedInputs,
                             int inputsDeleted, long bytesDeleted, int windowsExpired,
                             List<CorruptionReport> damage, List<String> failures) {
    public BrigadeSummary {
        damage = List.copyOf(damage);
        failures = List.copyOf(failures);
    }

    @Override
    public String toString() {
        return merges + " merge(s) (" + rollUps + " roll-up(s)) of " + inputs + " bucket(s), "
                + events + " events, " + bytesWritten + " bytes written; " + copies
                + " copies dropped; " + racesLost + " race(s) lost; " + claimedElsewhere
                + " claimed elsewhere; " + damagedInputs + " damaged input(s) kept aside; "
                + inputsDeleted + " input(s) deleted after grace; " + windowsExpired
                + " window(s) expired; " + bytesDeleted + " bytes deleted; " + damage.size()
                + " damage report(s); " + failures.size() + " failure(s)";
    }
}
