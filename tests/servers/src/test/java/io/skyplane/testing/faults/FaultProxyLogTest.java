package io.skyplane.testing.faults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FaultProxyLogTest {
  @Test
  void signaturesAndTokensInQueriesAreMasked() {
    assertThat(FaultProxy.redact("/devstoreaccount1/c/b?sv=2021&se=x&sig=abc%2Fdef&sp=r"))
        .isEqualTo("/devstoreaccount1/c/b?sv=2021&se=x&sig=***&sp=r");
    assertThat(FaultProxy.redact("/b/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=f00"
        + "&X-Amz-Security-Token=t"))
        .isEqualTo("/b/k?X-Amz-Credential=***&X-Amz-Signature=***&X-Amz-Security-Token=***");
    assertThat(FaultProxy.redact("/o?access_token=ya29&alt=media"))
        .isEqualTo("/o?access_token=***&alt=media");
    assertThat(FaultProxy.redact("/b/k?uploadId=1&partNumber=2"))
        .isEqualTo("/b/k?uploadId=1&partNumber=2");
  }
}
