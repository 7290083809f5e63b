package io.bucketlog.brigade;

import io.bucketlog.CorruptionReport;
import java.util.ArrayList;
import java.util.List;

/** Counts one pass as it goes; becomes a {@link BrigadeSummary}. One thread. */
final class Tally {
    int merges;
    int rollUps;
    int inputs;
    long events;
    long bytesWritten;
    long copies;
    int racesLost;
    int claimedElsewhere;
    int damagedInputs;
    int inputsDeleted;
    long bytesDeleted;
    int windowsExpired;
    final List<CorruptionReport> damage = new ArrayList<>();
    final List<String> failures = new ArrayList<>();

    void add(WorkUnit unit, WindowMerge.Outcome o) {
        damage.addAll(o.damage());
        copies += o.copies();
        switch (o.kind()) {
            case MERGED, ROLLED_UP -> {
                merges++;
                rollUps += o.kind() == BrigadeStep.Kind.ROLLED_UP ? 1 : 0;
                inputs += unit.inputs().size();
                events += o.events();
                bytesWritten += o.bytes();
                damagedInputs += o.damaged();
            }
            case LOST_RACE -> racesLost++;
            case CLAIMED_ELSEWHERE -> claimedElsewhere++;
            default -> {
                // nothing done, nothing to count
            }
        }
    }

    BrigadeSummary summary() {
        return new BrigadeSummary(merges, rollUps, inputs, events, bytesWritten, copies, racesLost,
                claimedElsewhere, damagedInputs, inputsDeleted, bytesDeleted, windowsExpired, damage,
                failures);
    }
}
