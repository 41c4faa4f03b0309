package io.microcanary.auditservice;

import java.util.List;

/** The calculation audit trail; store failures leave as a 503 problem. */
interface AuditTrail {

    AuditEntry append(AuditInput input);

    /** The newest {@code limit} entries, newest first. */
    List<AuditEntry> latest(int limit);
}
