package io.microcanary.addressbook;

import io.microcanary.support.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The form body of {@code PUT /person}, read without the framework's map-to-JSON-to-record detour. */
class PersonFormReaderTest {

    @Test
    void readsTheTutorialsForm() {
        assertEquals(new PersonInput(null, "al", "pacino"), parse("firstName=al&lastName=pacino"));
    }

    @Test
    void decodesPlusesEscapesAndTheDeclaredCharset() {
        assertEquals(new PersonInput(7L, "a b", "café"), parse("id=7&firstName=a+b&lastName=caf%C3%A9"));
        assertEquals("café", PersonFormReader.parse("firstName=caf%E9", StandardCharsets.ISO_8859_1).firstName());
    }

    @Test
    void absentFieldsAreNullAndUnknownOnesIgnored() {
        assertEquals(new PersonInput(null, null, ""), parse("lastName=&nickname=al"));
        assertEquals(new PersonInput(null, "", null), parse("firstName"));
    }

    @Test
    void anIdThatIsNotAnIntegerIsA400NamingIt() {
        for (String id : new String[] {"abc", "", "1.5", "99999999999999999999"}) {
            ProblemException problem = assertThrows(ProblemException.class, () -> parse("id=" + id + "&firstName=al"));
            assertEquals(400, problem.status().getCode());
            assertEquals("id", problem.violations().get(0).field(), id);
        }
    }

    @Test
    void aFieldGivenTwiceIsA400NamingIt() {
        ProblemException problem = assertThrows(ProblemException.class, () -> parse("firstName=a&firstName=b"));
        assertEquals("firstName", problem.violations().get(0).field());
    }

    @Test
    void aBrokenEscapeIsA400() {
        ProblemException problem = assertThrows(ProblemException.class, () -> parse("firstName=%%%"));
        assertEquals(400, problem.status().getCode());
        assertEquals("The request could not be read.", problem.detail());
    }

    private static PersonInput parse(String form) {
        return PersonFormReader.parse(form, StandardCharsets.UTF_8);
    }
}
