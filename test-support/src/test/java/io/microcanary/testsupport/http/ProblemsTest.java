package io.microcanary.testsupport.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProblemsTest {

    @Test
    void seesExceptionTextStackFramesAndLibraryPackages() {
        assertTrue(Problems.leaks("java.sql.SQLException: boom"));
        assertTrue(Problems.leaks("\tat io.microcanary.addressbook.PersonController.get(PersonController.java:41)"));
        assertTrue(Problems.leaks("\tat main(Main.java:3)"));
        assertTrue(Problems.leaks("Caused by: timeout"));
        assertTrue(Problems.leaks("failed in org.postgresql.Driver"));
    }

    @Test
    void letsAnOrdinaryProblemThrough() {
        assertFalse(Problems.leaks("{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"firstName must look at "
                + "most 50 characters long (the rest is cut)\"}"));
    }
}
