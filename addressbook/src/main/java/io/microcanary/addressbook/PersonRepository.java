package io.microcanary.addressbook;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface PersonRepository extends CrudRepository<Person, Long> {

    List<Person> listOrderById();

    @Query("INSERT INTO people (id, first_name, last_name) VALUES (:id, :firstName, :lastName)")
    void insertWithId(long id, String firstName, @Nullable String lastName);

    /** After a client-chosen id, generated ids must skip past it, or a later insert would collide. */
    @Query("SELECT setval('people_id_seq', GREATEST(:id, (SELECT last_value FROM people_id_seq)))")
    long advanceIdsPast(long id);
}
