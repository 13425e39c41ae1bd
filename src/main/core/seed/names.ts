// Given and family names from many places, so that demo panels look like a global remote team.
export const GIVEN_NAMES = [
  'Aisha', 'Alejandro', 'Amara', 'Anders', 'Ana', 'Arjun', 'Astrid', 'Ayumi', 'Bruno', 'Camille',
  'Carlos', 'Chen', 'Chiara', 'Dario', 'Deepa', 'Diego', 'Elena', 'Emeka', 'Emma', 'Fatima',
  'Felix', 'Freya', 'Gabriel', 'Hana', 'Hassan', 'Ines', 'Ingrid', 'Isabel', 'Jamal', 'Jana',
  'Javier', 'Jin', 'Joao', 'Julia', 'Kai', 'Kavya', 'Kenji', 'Kofi', 'Lars', 'Layla',
  'Leila', 'Liam', 'Lucia', 'Luis', 'Maja', 'Malik', 'Marta', 'Mateo', 'Mei', 'Mia',
  'Milan', 'Nadia', 'Naveen', 'Nia', 'Noah', 'Nora', 'Olu', 'Omar', 'Paula', 'Priya',
  'Rafael', 'Rania', 'Ravi', 'Rosa', 'Sami', 'Sara', 'Sean', 'Shira', 'Sofia', 'Sven',
  'Tariq', 'Tomas', 'Uma', 'Valentina', 'Vikram', 'Wei', 'Yara', 'Yusuf', 'Zara', 'Zoe',
] as const;

export const FAMILY_NAMES = [
  'Abebe', 'Adeyemi', 'Ahmed', 'Almeida', 'Andersson', 'Bauer', 'Bianchi', 'Brown', 'Castro', 'Chen',
  'Costa', 'Dubois', 'Eriksen', 'Fernandes', 'Fischer', 'Garcia', 'Gupta', 'Haddad', 'Hansen', 'Hernandez',
  'Ibrahim', 'Ito', 'Jensen', 'Kapoor', 'Kim', 'Kowalski', 'Kumar', 'Larsen', 'Lee', 'Lopez',
  'Mahlangu', 'Martin', 'Mendes', 'Meyer', 'Moreau', 'Mwangi', 'Nakamura', 'Nguyen', 'Novak', 'Okafor',
  'Oliveira', 'Osei', 'Park', 'Patel', 'Petrov', 'Popescu', 'Ramos', 'Rossi', 'Sato', 'Schmidt',
  'Silva', 'Singh', 'Smith', 'Suzuki', 'Tanaka', 'Torres', 'Wang', 'Weber', 'Williams', 'Yilmaz',
] as const;
