package io.bucketlog.cli;

import io.bucketlog.backend.s3.S3Location;
import io.bucketlog.backend.s3.S3Options;
import io.bucketlog.backend.s3.S3Storage;
import io.bucketlog.spi.Locations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bucketlog recover STORE}: uploads what dead writers on this host left in an object
 * store's spool. The next writer opening the store on this host does the same; this is for a host
 * where none will.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
        description = {"Upload what writers on this host that died (kill -9, a crash, a power loss) left"
                + " in the spool of an object-store location (s3://...; its spool= option names the"
                + " spool directory). Nothing already uploaded is uploaded again.",
            "Directories need no recovery: their appends are in place."})
final class RecoverCommand implements Callable<Integer> {
    @Mixin
    StoreOption store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        int failed = 0;
        for (String location : store.locations()) {
            if (!Locations.scheme(location).filter("s3"::equals).isPresent()) {
                throw new CliException("'" + location + "' is a directory: there is nothing to recover"
                        + " (appends to a directory are in place; only an object store's spool needs this)");
            }
            S3Storage.Recovery r;
            try (S3Storage s3 = S3Storage.open(S3Location.parse(location), S3Options.fromQuery(location))) {
                r = s3.recover();
                out.printf("%s: %d dead writer(s), %d object(s), %s uploaded%s%n", s3.location(), r.writers(),
                        r.objects(), Sizes.bytes(r.bytes()),
                        r.failed() > 0 ? "; " + r.failed() + " spool record(s) could not be recovered"
                                + " and were left as they are" : "");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            failed += r.failed();
        }
        return failed > 0 ? 1 : 0;
    }
}
