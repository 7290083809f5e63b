package io.bucketlog.log4j2;

import java.nio.file.Path;
import org.apache.logging.log4j.message.StringMapMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GarbageFreeTest} for a {@code StringMapMessage}, whose fields become attributes. */
class GarbageFreeMapMessageTest {
    @TempDir
    Path dir;

    @Test
    void storingAStringMapMessagesFieldsAllocatesNothingBeyondLog4j2Itself() {
        StringMapMessage fields = new StringMapMessage().with("orderId", "1234").with("user", "user-42");
        GarbageFreeTest.assertStoringAllocatesNothingBeyondLog4j2(dir, "gc-map", log -> log.info(fields));
    }
}
