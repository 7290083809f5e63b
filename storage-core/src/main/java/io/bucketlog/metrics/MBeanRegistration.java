package io.bucketlog.metrics;

import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * One MBean registered in the platform MBean server as {@code io.bucketlog:type=T,name=N}, until
 * {@link #close()}. A name already taken (two writers of one stream, a reader of a store opened
 * twice) gets {@code N-2}, {@code N-3}... so no registration ever fails on a collision. JMX is a
 * view: a server that refuses the MBean (a security manager, a runtime without
 * {@code java.management}) is reported once to the caller and never stops the writer or reader.
 */
public final class MBeanRegistration implements AutoCloseable {
    private static final int MAX_SUFFIX = 10_000;

    private final ObjectName objectName;
    private final String name;

    private MBeanRegistration(ObjectName objectName, String name) {
        this.objectName = objectName;
        this.name = name;
    }

    /** A bean that needs its final name before it is registered. */
    public interface Named<T> {
        T withName(String name);
    }

    /**
     * Registers the bean {@code factory} makes for the first free name.
     *
     * @throws JMException if the server refuses it for another reason than the name
     */
    public static <T> MBeanRegistration register(String type, String name, Class<T> mxbean,
                                                 Named<? extends T> factory) throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (int i = 1; i <= MAX_SUFFIX; i++) {
            String candidate = i == 1 ? name : name + "-" + i;
            ObjectName on = new ObjectName("io.bucketlog:type=" + type + ",name=" + value(candidate));
            try {
                server.registerMBean(new StandardMBean(factory.withName(candidate), mxbean, true), on);
                return new MBeanRegistration(on, candidate);
            } catch (InstanceAlreadyExistsException taken) {
                // try the next suffix
            }
        }
        throw new InstanceAlreadyExistsException("io.bucketlog:type=" + type + ",name=" + name
                + " and " + MAX_SUFFIX + " suffixed names are taken");
    }

    /** A name as an object-name value: as it is when it can be, quoted otherwise. */
    static String value(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (",=:\"*?\\\n".indexOf(c) >= 0) {
                return ObjectName.quote(name);
            }
        }
        return name;
    }

    /** The name the bean was registered under. */
    public String name() {
        return name;
    }

    public ObjectName objectName() {
        return objectName;
    }

    /** Unregisters the bean; idempotent. */
    @Override
    public void close() {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(objectName);
        } catch (JMException alreadyGone) {
            // unregistered already (close called twice, or by someone else)
        }
    }
}
