package io.microcanary.adderservice;

import io.microcanary.support.problem.ProblemException;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.serde.annotation.Serdeable;

/**
 * {@code GET /add/{first}/{second}}: the sum of two 64-bit integers. A value that is not an integer (or does not
 * fit in 64 bits) is a 400 naming it, through the shared error path; so is a sum that would overflow.
 */
@Controller
class AdderController {

    @Get("/add/{first}/{second}")
    Sum add(long first, long second) {
        try {
            return new Sum(Math.addExact(first, second));
        } catch (ArithmeticException overflow) {
            throw ProblemException.invalidField("second", "makes the sum overflow a 64-bit integer");
        }
    }

    @Serdeable
    record Sum(long result) {
    }
}
