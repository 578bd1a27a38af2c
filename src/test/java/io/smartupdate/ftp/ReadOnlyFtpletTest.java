package io.smartupdate.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.apache.ftpserver.ftplet.DataConnectionFactory;
import org.apache.ftpserver.ftplet.FtpReply;
import org.apache.ftpserver.ftplet.FtpSession;
import org.apache.ftpserver.ftplet.FtpletResult;
import org.apache.ftpserver.impl.DefaultFtpRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadOnlyFtpletTest {
  private final List<FtpReply> replies = new ArrayList<>();
  private int dataClosed;
  private final FtpSession session = session();

  @ParameterizedTest
  @ValueSource(strings = {"STOR new.bin", "APPE ilo.bin", "STOU", "DELE ilo.bin", "RNFR ilo.bin", "RNTO x.bin",
      "MKD d", "XMKD d", "RMD sub", "XRMD sub", "SITE CHMOD 777 ilo.bin", "site chmod 777 x", "MFMT 20200101000000 ilo.bin"})
  void writeCommandsAreAnswered550AndSkipped(String line) throws Exception {
    assertEquals(FtpletResult.SKIP, new ReadOnlyFtplet().beforeCommand(session, new DefaultFtpRequest(line)));
    assertEquals(1, replies.size());
    assertEquals(550, replies.get(0).getCode());
    assertEquals("read-only server", replies.get(0).getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"STOR new.bin", "APPE ilo.bin", "STOU"})
  void refusedUploadsFreeTheirDataConnection(String line) throws Exception {
    new ReadOnlyFtplet().beforeCommand(session, new DefaultFtpRequest(line));
    assertEquals(1, dataClosed);
  }

  @ParameterizedTest
  @ValueSource(strings = {"RETR ilo.bin", "LIST", "NLST", "SIZE ilo.bin", "MDTM ilo.bin", "REST 10", "CWD sub", "PASV",
      "AUTH TLS", "USER anonymous", "PASS x", "FEAT", "MLSD", "STAT"})
  void readCommandsPassThrough(String line) throws Exception {
    assertEquals(FtpletResult.DEFAULT, new ReadOnlyFtplet().beforeCommand(session, new DefaultFtpRequest(line)));
    assertTrue(replies.isEmpty());
    assertEquals(0, dataClosed);
  }

  private FtpSession session() {
    DataConnectionFactory data = (DataConnectionFactory) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {DataConnectionFactory.class}, (proxy, method, args) -> {
          if (method.getName().equals("closeDataConnection")) dataClosed++;
          return method.getReturnType() == boolean.class ? false : null;
        });
    return (FtpSession) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {FtpSession.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "write" -> {
            replies.add((FtpReply) args[0]);
            yield null;
          }
          case "getDataConnection" -> data;
          default -> method.getReturnType() == boolean.class ? false : null;
        });
  }
}
