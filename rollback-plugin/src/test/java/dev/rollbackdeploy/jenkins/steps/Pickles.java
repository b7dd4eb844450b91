package dev.rollbackdeploy.jenkins.steps;

import hudson.util.XStream2;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.jboss.marshalling.ByteInput;
import org.jboss.marshalling.ByteOutput;
import org.jboss.marshalling.Marshaller;
import org.jboss.marshalling.MarshallerFactory;
import org.jboss.marshalling.Marshalling;
import org.jboss.marshalling.MarshallingConfiguration;
import org.jboss.marshalling.Unmarshaller;
import org.jboss.marshalling.river.RiverMarshallerFactory;

/**
 * Round trips through what Jenkins persists with: JBoss Marshalling River (how workflow-support pickles
 * a running Pipeline's step executions, {@code program.dat}) and XStream2 (how {@code build.xml} keeps
 * actions). "Compare" is XStream's rendering of both objects: it lists every non-transient field.
 */
final class Pickles {

    private static final XStream2 XSTREAM = new XStream2();

    private Pickles() {
    }

    static byte[] river(Object value) throws IOException {
        MarshallerFactory factory = new RiverMarshallerFactory();
        MarshallingConfiguration config = new MarshallingConfiguration();
        config.setVersion(3);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Marshaller marshaller = factory.createMarshaller(config)) {
            ByteOutput out = Marshalling.createByteOutput(bytes);
            marshaller.start(out);
            marshaller.writeObject(value);
            marshaller.finish();
        }
        return bytes.toByteArray();
    }

    static Object unriver(byte[] data) throws IOException, ClassNotFoundException {
        MarshallerFactory factory = new RiverMarshallerFactory();
        MarshallingConfiguration config = new MarshallingConfiguration();
        config.setVersion(3);
        try (Unmarshaller unmarshaller = factory.createUnmarshaller(config)) {
            ByteInput in = Marshalling.createByteInput(new ByteArrayInputStream(data));
            unmarshaller.start(in);
            Object value = unmarshaller.readObject();
            unmarshaller.finish();
            return value;
        }
    }

    static String xml(Object value) {
        return XSTREAM.toXML(value);
    }

    static Object fromXml(String xml) {
        return XSTREAM.fromXML(xml);
    }
}
