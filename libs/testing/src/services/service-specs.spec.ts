import { withDatabase } from './service-specs';

describe('withDatabase', () => {
  it('sets the database and keeps hosts and options', () => {
    expect(withDatabase('mongodb://127.0.0.1:27017', 'x')).toBe('mongodb://127.0.0.1:27017/x');
    expect(withDatabase('mongodb://127.0.0.1:27017/', 'x')).toBe('mongodb://127.0.0.1:27017/x');
    expect(withDatabase('mongodb://u:p@a:1,b:2/old?replicaSet=rs0', 'x')).toBe('mongodb://u:p@a:1,b:2/x?replicaSet=rs0');
    expect(() => withDatabase('http://nope', 'x')).toThrow();
  });
});
