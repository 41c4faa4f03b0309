package io.microcanary.auditservice;

import java.util.List;

/** The calculation audit trail; store failures leave as a 503 problem. */
interface AuditTrail {

    AuditEntry append(AuditInput input);

    /** Stores all of them in one write, in order; they share one time stamp and list newest (last) first. */
    List<AuditEntry> appendAll(List<AuditInput> inputs);

    /** The newest {@code limit} entries, newest first. */
    List<AuditEntry> latest(int limit);
}
